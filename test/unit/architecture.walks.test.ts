import fs from 'node:fs';
import path from 'node:path';

// docs/ARCHITECTURE.md walks a notification to a loan and a loan change to an Outlook event, each
// step naming its files and functions. A rename or a move that forgets the page fails here.
const root = path.resolve(__dirname, '../..');
const page = fs.readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8');

interface Step {
  walk: string;
  step: string;
  files: string[];
  names: string[];
}

function stepsOf(): Step[] {
  const steps: Step[] = [];
  let walk = '';
  for (const line of page.split('\n')) {
    if (line.startsWith('## Walk')) walk = line.slice(3);
    const cells = line.split('|').map((c) => c.trim());
    if (!walk || cells.length < 6 || !/^\d+[a-z]?$/.test(cells[1])) continue;
    const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    steps.push({
      walk,
      step: cells[1],
      files: ticked(cells[3]),
      // `Class.method` names the method; only identifiers are checked (not `PATCH /loans/:id`).
      names: ticked(cells[4])
        .map((n) => n.split('.').pop()!)
        .filter((n) => /^[A-Za-z_]\w*$/.test(n)),
    });
  }
  return steps;
}

const steps = stepsOf();

it('the page has both walks, each with its steps', () => {
  expect(new Set(steps.map((s) => s.walk)).size).toBe(2);
  expect(steps.length).toBeGreaterThanOrEqual(20);
});

it.each(steps.map((s) => [`${s.walk} · step ${s.step}`, s] as const))(
  '%s names files and functions that exist',
  (_title, s) => {
    expect(s.files.length).toBeGreaterThan(0);
    const sources = s.files.map((file) => {
      const full = path.join(root, file);
      expect(fs.existsSync(full) ? file : `missing: ${file}`).toBe(file);
      return fs.readFileSync(full, 'utf8');
    });
    for (const name of s.names) {
      const found = sources.some((src) => new RegExp(`\\b${name}\\b`).test(src));
      expect(found ? name : `${name} is in none of ${s.files.join(', ')}`).toBe(name);
    }
  },
);
