import { runFanout } from './run.ts';
const rows = await runFanout({ mode: 'palabre', sendPath: 'direct', subscribers: 10, rates: [2500], seconds: 8, onProgress: (l) => process.stderr.write(l + '\n') });
console.log(JSON.stringify(rows));
process.exit(0);
