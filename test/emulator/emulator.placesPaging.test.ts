import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { graphClientFor } from './support';

// GRAPH-FACTS "Real tenants", Places paging: 100 rooms by default, $top/$skip/$count, and never an
// @odata.nextLink (docs-contrib#341, docs#6427, docs#9923, msgraph-sdk-powershell#2260, msgraph-sdk-dotnet#2190).
const SEEDED = 12;
const ADDED = 238; // 250 rooms in all

type RoomPage = { value: MSGraph.Room[]; '@odata.count'?: number; '@odata.nextLink'?: string };

describe('Places API paging in a tenant of 250 rooms (docs-contrib#341, docs#6427)', () => {
  let emu: RunningEmulator;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
    graph = await graphClientFor(emu);
    for (let i = 0; i < ADDED; i++)
      emu.control.addRoom({
        email: `salle-p${String(i).padStart(3, '0')}@universite.test`,
        displayName: `Salle P-${i}`,
      });
  });
  afterAll(() => emu.close());

  const rooms = (query = ''): Promise<RoomPage> =>
    graph.api(`/places/microsoft.graph.room${query}`).get() as Promise<RoomPage>;

  it('returns the first 100 rooms by default and no @odata.nextLink (docs#9923)', async () => {
    const page = await rooms();
    expect(page.value).toHaveLength(100);
    expect(page).not.toHaveProperty('@odata.nextLink');
  });

  it('honours $top up to 1,000: $top=250 → all 250 rooms (msgraph-sdk-dotnet#2190)', async () => {
    const page = await rooms('?$top=250');
    expect(page.value).toHaveLength(SEEDED + ADDED);
    expect(new Set(page.value.map((r) => r.emailAddress)).size).toBe(250);
    expect(page).not.toHaveProperty('@odata.nextLink');
  });

  it('pages with $skip: 100 + 100 + 50, the same rooms as one page of 250, then an empty page (docs#6427)', async () => {
    const all = (await rooms('?$top=250')).value.map((r) => r.emailAddress);
    const seen: string[] = [];
    const sizes: number[] = [];
    for (let skip = 0; skip <= 300; skip += 100) {
      const page = await rooms(`?$top=100&$skip=${skip}`);
      expect(page).not.toHaveProperty('@odata.nextLink');
      sizes.push(page.value.length);
      seen.push(...page.value.map((r) => r.emailAddress!));
    }
    expect(sizes).toEqual([100, 100, 50, 0]);
    expect(seen).toEqual(all);
  });

  it('$count=true adds @odata.count, the total whatever the page (docs#6427)', async () => {
    const page = await rooms('?$count=true&$top=1');
    expect(page['@odata.count']).toBe(250);
    expect(page.value).toHaveLength(1);
    expect(page).not.toHaveProperty('@odata.nextLink');
    expect(await rooms()).not.toHaveProperty('@odata.count');
  });

  it('refuses $top above 1,000, below 1 and a negative $skip with 400', async () => {
    for (const query of ['?$top=1001', '?$top=0', '?$top=abc', '?$skip=-1']) {
      await expect(rooms(query)).rejects.toMatchObject({ statusCode: 400 });
    }
  });
});
