import fs from 'node:fs';
import os from 'node:os';

/**
 * What else shared the machine while a bench measured: the load average and the processes that
 * used the most CPU over the last second (sampled from /proc, this process left out). ps's %CPU is
 * an average over each process's whole life, which hides a test run that started a minute ago.
 */
export async function machineLine(when: string, sampleMs = 1000): Promise<string> {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  let busiest: string;
  try {
    const before = cpuTicks();
    await new Promise((r) => setTimeout(r, sampleMs));
    const after = cpuTicks();
    const hz = 100; // USER_HZ: 100 on Linux everywhere Node runs
    busiest = [...after.entries()]
      .filter(([pid]) => pid !== process.pid)
      .map(([pid, p]) => ({
        name: p.name,
        pct: ((p.ticks - (before.get(pid)?.ticks ?? p.ticks)) / hz / (sampleMs / 1000)) * 100,
      }))
      .filter((p) => p.pct >= 1)
      .sort((a, b) => b.pct - a.pct)
      .slice(0, 4)
      .map((p) => `${p.name} ${p.pct.toFixed(0)} %`)
      .join(', ');
  } catch {
    busiest = 'not available (no /proc)';
  }
  return `machine ${when}: ${os.cpus().length} cores, load average ${load}; busiest other processes over ${sampleMs / 1000} s: ${busiest || 'none'}`;
}

/** pid → its name (with the script it runs, for node) and utime + stime in clock ticks. */
function cpuTicks(): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Fields after "(comm) ": state is [0], utime [11], stime [12] (proc(5) numbers 14 and 15).
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(Number(entry), { name: describe(Number(entry), comm), ticks });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** "node (jest)" rather than a bare "node": what the process runs, in a word. */
function describe(pid: number, comm: string): string {
  if (comm !== 'node' && comm !== 'npm') return comm;
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = args.slice(1).find((a) => !a.startsWith('-'));
    const base = script?.split('/').filter(Boolean);
    const tail = base ? base.slice(-2).join('/') : '';
    return tail ? `${comm} (${tail})` : comm;
  } catch {
    return comm;
  }
}
