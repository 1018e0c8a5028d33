import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { NamespacedLoader, nunjucksEnvironment, templateRoots } from './nunjucks.ts';

test('two modules\' views of one name do not collide: each is addressed as "<module>/<view>.njk"', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-views-'));
  for (const m of ['repairs', 'asb']) {
    fs.mkdirSync(path.join(dir, m));
    fs.writeFileSync(path.join(dir, m, 'index.njk'), `{% extends "web/base.njk" %}{% block body %}${m}{% endblock %}`);
  }
  fs.mkdirSync(path.join(dir, 'web'));
  fs.writeFileSync(path.join(dir, 'web', 'base.njk'), '<main>{% block body %}{% endblock %}</main>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not a template');
  const env = new nunjucks.Environment(new NamespacedLoader({ web: path.join(dir, 'web'), repairs: path.join(dir, 'repairs'), asb: path.join(dir, 'asb') }));
  assert.equal(env.render('repairs/index.njk'), '<main>repairs</main>');
  assert.equal(env.render('asb/index.njk'), '<main>asb</main>');
  assert.throws(() => env.render('index.njk'), /template not found/, 'a bare name is no one\'s');
  assert.throws(() => env.render('asb/../secret.txt'), /template not found/, 'nothing outside the folders');
  fs.rmSync(dir, { recursive: true });
});

test('the app\'s namespaces: web, govuk and every module with views; GOV.UK macros still find their own', () => {
  const roots = templateRoots();
  for (const ns of ['web', 'govuk', 'hazards', 'ingest', 'single-view']) assert.ok(roots[ns], ns);
  const html = nunjucksEnvironment().render('web/error.njk', { title: 'Page not found', status: 404 });
  assert.match(html, /<h1 class="govuk-heading-l">Page not found<\/h1>/);
  assert.match(html, /govuk-footer/);
});
