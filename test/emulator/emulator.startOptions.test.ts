import {
  EmulatorOptionsError,
  emptySeed,
  SAMPLE_TENANT_ID,
  startEmulator,
  type RunningEmulator,
} from '../../emulator';
import { appToken } from './support';

const OTHER_TENANT = {
  id: '44444444-4444-4444-8444-444444444444',
  primaryDomain: 'autre.test',
  displayName: 'Autre',
};

describe('startEmulator in process (issue 3: {port, tls, tenant, …} → {url, control, close})', () => {
  const running: RunningEmulator[] = [];
  const start = async (opts: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> => {
    const emu = await startEmulator(opts);
    running.push(emu);
    return emu;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emu) => emu.close()));
  });

  const roomsSeenByGraph = async (emu: RunningEmulator): Promise<number> => {
    const res = await fetch(`${emu.graphUrl}/places/microsoft.graph.room`, {
      headers: { authorization: `Bearer ${await appToken(emu)}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: unknown[] }).value.length;
  };

  it("issue 3: tenant 'empty' starts a tenant without people or rooms, and url answers", async () => {
    const emu = await start({ port: 0, tls: false, tenant: 'empty' });

    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(typeof emu.close).toBe('function');
    const state = emu.control.state();
    expect(state.tenant.id).toBe(SAMPLE_TENANT_ID);
    expect(state.users).toHaveLength(0);
    expect(state.rooms).toHaveLength(0);
    const openId = await fetch(`${emu.url}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(openId.status).toBe(200);
    expect((await fetch(`${emu.url}/_emulator/state`)).status).toBe(200);
    expect(await roomsSeenByGraph(emu)).toBe(0);
  });

  it("issue 3: tenant 'sample' starts the sample tenant; control.reset() returns to the starting tenant", async () => {
    const emu = await start({ port: 0, tls: false, tenant: 'sample' });

    expect(emu.tenantId).toBe(SAMPLE_TENANT_ID);
    expect(emu.control.state().rooms).toHaveLength(12);
    expect(await roomsSeenByGraph(emu)).toBe(12);

    const empty = await start({ port: 0, tls: false, tenant: 'empty' });
    empty.control.reset();
    expect(empty.control.state().rooms).toHaveLength(0);
    empty.control.reset('sample');
    expect(empty.control.state().rooms).toHaveLength(12);
    const res = await fetch(`${empty.url}/_emulator/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(empty.control.state().rooms).toHaveLength(0);
  });

  it('issue 3: seed stays an alias of tenant; both given and different, or an unknown name, is refused', async () => {
    const emu = await start({ port: 0, tls: false, seed: 'empty' });
    expect(emu.control.state().users).toHaveLength(0);
    const same = await start({ port: 0, tls: false, tenant: 'empty', seed: 'empty' });
    expect(same.control.state().users).toHaveLength(0);

    await expect(startEmulator({ port: 0, tls: false, tenant: 'empty', seed: 'sample' })).rejects.toThrow(
      EmulatorOptionsError,
    );
    await expect(startEmulator({ port: 0, tls: false, tenant: 'empty', seed: 'sample' })).rejects.toThrow(
      /tenant 'empty' and seed 'sample'/,
    );
    await expect(
      startEmulator({ port: 0, tls: false, tenant: 'contoso' as unknown as 'sample' }),
    ).rejects.toThrow(/Unknown tenant 'contoso'/);
    await expect(
      startEmulator({ port: 0, tls: false, tenant: { id: 'x' } as unknown as 'sample' }),
    ).rejects.toThrow(/whole SeedData/);
  });

  it('issue 3: a tenant given as a whole seed sets the directory, its id and its domain', async () => {
    const emu = await start({ port: 0, tls: false, tenant: { ...emptySeed(), tenant: OTHER_TENANT } });

    expect(emu.tenantId).toBe(OTHER_TENANT.id);
    const byDomain = await fetch(`${emu.url}/autre.test/v2.0/.well-known/openid-configuration`);
    expect(byDomain.status).toBe(200);
    expect(((await byDomain.json()) as { issuer: string }).issuer).toContain(OTHER_TENANT.id);
    expect(await roomsSeenByGraph(emu)).toBe(0);
    emu.control.reset();
    expect(emu.control.tenantId).toBe(OTHER_TENANT.id);
  });
});
