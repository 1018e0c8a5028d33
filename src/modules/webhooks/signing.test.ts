// Signatures as the Standard Webhooks specification gives them: its own test vector, and the secrets that sign at a
// moment (the newest, and an older one until its end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSecret, signatureHeaders } from './signing.ts';

const spec = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', at: new Date(1614265330 * 1000), body: '{"test": 2432232314}' };

test("the specification's test vector", () => {
  const headers = signatureHeaders(spec.id, spec.at, spec.body, [{ id: 'a', secret: spec.secret, createdAt: '2021-01-01T00:00:00Z' }]);
  assert.deepEqual(headers, { 'webhook-id': spec.id, 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' });
});

test('every secret still signing signs, in order; an expired one does not', () => {
  const made = new Date('2026-12-01T12:00:00Z');
  const [a, b, c] = [newSecret(made), newSecret(made), newSecret(made)];
  assert.match(a.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  const secrets = [{ ...a, expiresAt: '2026-12-01T13:00:00Z' }, { ...b, expiresAt: '2026-12-02T12:00:00Z' }, c];
  const at = (iso: string) => signatureHeaders(spec.id, new Date(iso), spec.body, secrets)['webhook-signature'].split(' ').length;
  assert.equal(at('2026-12-01T12:30:00Z'), 3);
  assert.equal(at('2026-12-01T13:00:00Z'), 2);
  assert.equal(at('2026-12-02T12:00:01Z'), 1);
  assert.throws(() => signatureHeaders(spec.id, made, spec.body, []), /no secret/);
});
