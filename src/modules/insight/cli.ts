// `hearth insight hrb` and `hearth insight damp`: the regulator's registers from the command line.
import type { Command } from 'commander';
import type { CliKit } from '../../platform/cli.ts';

export function insightCommands(program: Command, cli: CliKit): void {
  const insight = program.command('insight').description('Insight from the record');
  insight.command('hrb')
    .description('The higher-risk buildings register: blocks of 18 m or 7 storeys with 2 or more residential units, and those that need measuring')
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .option('--json', 'print the register as JSON (as the API returns it)')
    .action(async (opts: { organisation?: string; json?: boolean }) => {
      const json = !!opts.json;
      const { higherRiskRegisterView } = await import('./api.ts');
      try {
        const reg = await cli.asOrganisation(opts, 'hearth insight hrb', higherRiskRegisterView);
        if (json) { console.log(JSON.stringify(reg)); return; }
        const c = reg.counts;
        console.log(`${c.blocks} blocks: ${c.higherRisk} higher-risk, ${c.dataNeeded} needing data, ${c.notHigherRisk} not higher-risk`);
        const show = (title: string, list: typeof reg.higherRisk) => {
          if (!list.length) return;
          console.log(`\n${title}`);
          for (const b of list) {
            const height = b.heightMetres === null ? 'height not recorded' : `${b.heightMetres} m (${b.heightMethod ?? 'method not recorded'})`;
            console.log(`  ${b.name}${b.estateName ? `, ${b.estateName}` : ''} [${b.reference ? `block ref ${b.reference}, ` : ''}${b.id}]: ${b.storeys ?? '?'} storeys, ${height}, ${b.residentialUnits ?? '?'} residential units, ${b.homes} homes, ${b.residents} residents`);
            for (const r of b.assessment.reasons) console.log(`    - ${r}`);
          }
        };
        show('Higher-risk:', reg.higherRisk);
        show('Data needed:', reg.dataNeeded);
      } catch (err) {
        cli.fail((err as Error).message, json);
      }
    });

  insight.command('damp')
    .description('The damp and mould register: homes where repairs, notes or hazard reports show damp or mould, with the evidence word for word')
    .option('--organisation <id>', 'organisation id (default: the only one)')
    .option('--estate <id>', 'only homes on this estate (an estate id, or none)')
    .option('--rescan', 'first work out every signal again from all repairs, notes and hazard reports (for data loaded before signals were kept)')
    .option('--csv <file>', 'write every sign to this CSV file (- for standard output)')
    .option('--json', 'print the register as JSON (as the API returns it, every home on one page)')
    .action(async (opts: { organisation?: string; estate?: string; rescan?: boolean; csv?: string; json?: boolean }) => {
      const json = !!opts.json;
      const { presentRegister } = await import('./api.ts');
      const { dampRegisterCsv } = await import('./pages.ts');
      const { dampMouldRegister, auditRegisterExport } = await import('./damp-register.ts');
      const { rescanDampSignals } = await import('./damp-signals.ts');
      try {
        const { reg, rescan } = await cli.asOrganisation(opts, 'hearth insight damp', async (ctx) => {
          const rescan = opts.rescan ? await rescanDampSignals(ctx) : undefined;
          const reg = await dampMouldRegister(ctx, { estate: opts.estate, all: true });
          if (opts.csv) await auditRegisterExport(ctx, reg, 'csv');
          return { reg, rescan };
        });
        if (opts.csv) {
          const csv = dampRegisterCsv(reg);
          if (opts.csv === '-') process.stdout.write(csv);
          else (await import('node:fs')).writeFileSync(opts.csv, csv);
          if (opts.csv === '-') return;
        }
        if (json) { console.log(JSON.stringify({ ...presentRegister(reg), ...(rescan ? { rescan } : {}) })); return; }
        if (rescan) console.log(`Rescanned ${rescan.repairs} repairs, ${rescan.notes} notes and ${rescan.hazardReports} hazard reports: ${rescan.signals} show damp or mould (${rescan.millis} ms)`);
        console.log(`${reg.homes} homes with signs of damp or mould (${reg.signals} records)${opts.csv ? `; every sign written to ${opts.csv}` : ''}`);
        if (reg.unlinked.count) console.log(`${reg.unlinked.count} sign${reg.unlinked.count === 1 ? '' : 's'} not yet linked to a home (repairs and notes whose home, tenancy or person matched nothing; listed last)`);
        for (const e of reg.items) {
          console.log(`\n  ${e.address} [${e.homeReference ? `property ref ${e.homeReference}, ` : ''}${e.homeId}]${e.estateName ? `, ${e.estateName}` : ''}: ${e.count} record${e.count === 1 ? '' : 's'}, latest ${e.latestObserved ?? 'undated'}`);
          for (const s of e.signals) for (const line of s.evidence) console.log(`    - ${s.sourceKind}${s.reference ? ` ${s.reference}` : ''} ${s.observedOn ?? 'undated'}: ${line.quote ? `“${line.text}”` : line.text}`);
        }
        if (reg.unlinked.count) {
          console.log('\n  Not yet linked to a home:');
          for (const s of reg.unlinked.items) for (const line of s.evidence) console.log(`    - ${s.sourceKind}${s.reference ? ` ${s.reference}` : ''} (named ${s.named ?? 'nothing'}) ${s.observedOn ?? 'undated'}: ${line.quote ? `“${line.text}”` : line.text}`);
        }
      } catch (err) {
        cli.fail((err as Error).message, json);
      }
    });
}
