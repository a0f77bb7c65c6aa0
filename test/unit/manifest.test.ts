/**
 * @jest-environment jsdom
 */
// jsdom's DOMParser is a strict XML parser (no XML package is a dependency of this project).
import fs from 'node:fs';
import path from 'node:path';

/** The slice of the DOM this test uses (tsconfig.json has no DOM lib). */
interface XmlElement {
  localName: string;
  namespaceURI: string | null;
  textContent: string | null;
  attributes: ArrayLike<{ name: string; value: string }>;
  getAttribute(name: string): string | null;
  getAttributeNS(ns: string, name: string): string | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement>;
  parentElement: XmlElement | null;
}
interface XmlDocument {
  documentElement: XmlElement;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement>;
}
const DOMParserClass = (
  globalThis as unknown as { DOMParser: new () => { parseFromString(s: string, t: string): XmlDocument } }
).DOMParser;

const ROOT = path.join(__dirname, '..', '..');
const BASE = 'https://localhost:3000';
const NS = {
  app: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  bt: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  vo10: 'http://schemas.microsoft.com/office/mailappversionoverrides',
  vo11: 'http://schemas.microsoft.com/office/mailappversionoverrides/1.1',
};
const text = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
const doc = new DOMParserClass().parseFromString(text, 'application/xml');
const all = (
  ns: string,
  name: string,
  from: { getElementsByTagNameNS: XmlDocument['getElementsByTagNameNS'] } = doc,
) => Array.from(from.getElementsByTagNameNS(ns, name));
const xsiType = (e: XmlElement) => e.getAttributeNS(NS.xsi, 'type');
const allElements = () => Array.from(doc.getElementsByTagName('*'));

describe('A3: manifest.xml', () => {
  it('A3: is well-formed XML', () => {
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.localName).toBe('OfficeApp');
    expect(doc.documentElement.namespaceURI).toBe(NS.app);
  });

  it('A3: is a MailApp with an id, version, default locale en-US and French overrides', () => {
    expect(xsiType(doc.documentElement)).toBe('MailApp');
    expect(all(NS.app, 'Id')[0].textContent).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    );
    expect(all(NS.app, 'Version')[0].textContent).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(all(NS.app, 'DefaultLocale')[0].textContent).toBe('en-US');
    const displayName = all(NS.app, 'DisplayName')[0];
    expect(all(NS.app, 'Override', displayName).map((o) => o.getAttribute('Locale'))).toContain('fr-FR');
    expect(all(NS.app, 'Permissions')[0].textContent).toBe('ReadWriteItem');
    const sets = all(NS.app, 'Set').map((s) => [s.getAttribute('Name'), s.getAttribute('MinVersion')]);
    expect(sets).toContainEqual(['Mailbox', '1.8']);
  });

  it('A3: VersionOverrides 1.1 inside 1.0, buttons on the organizer and attendee surfaces, not pinned', () => {
    const outer = all(NS.vo10, 'VersionOverrides');
    expect(outer.map(xsiType)).toEqual(['VersionOverridesV1_0']);
    const inner = all(NS.vo11, 'VersionOverrides');
    expect(inner.map(xsiType)).toEqual(['VersionOverridesV1_1']);
    expect(inner[0].parentElement?.localName).toBe('VersionOverrides');
    const points = all(NS.vo11, 'ExtensionPoint').map(xsiType);
    expect(points).toEqual(
      expect.arrayContaining(['AppointmentOrganizerCommandSurface', 'AppointmentAttendeeCommandSurface']),
    );
    // Outlook does not pin task panes on appointments (GRAPH-FACTS "Outlook add-in", OJD
    // pinnable-taskpane.md): the manifest does not ask for it, the pane loads per item.
    expect(all(NS.vo11, 'SupportsPinning')).toEqual([]);
    const actions = all(NS.vo11, 'Action').map(xsiType);
    expect(actions.length).toBe(2);
    expect(new Set(actions)).toEqual(new Set(['ShowTaskpane']));
    const minVersion = all(NS.bt, 'Sets', inner[0])[0].getAttribute('DefaultMinVersion');
    expect(minVersion).toBe('1.8');
  });

  it('A3: WebApplicationInfo names our API (client id and api:// resource on the base host)', () => {
    const info = all(NS.vo11, 'WebApplicationInfo')[0];
    const id = all(NS.vo11, 'Id', info)[0].textContent;
    expect(id).toBe('33333333-3333-4333-8333-333333333333');
    expect(all(NS.vo11, 'Resource', info)[0].textContent).toBe(`api://localhost:3000/${id}`);
  });

  it('A3: every URL is https and under the base that the server replaces with PUBLIC_URL', () => {
    const urls = allElements().flatMap((e) =>
      Array.from(e.attributes)
        .filter((a) => a.name === 'DefaultValue' || a.name === 'Value')
        .map((a) => a.value)
        .filter((v) => /^[a-z]+:\/\//i.test(v)),
    );
    for (const e of allElements()) {
      const own = e.textContent?.trim() ?? '';
      if (/^[a-z]+:\/\/\S+$/i.test(own) && !own.startsWith('api://')) urls.push(own);
    }
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\//);
      expect(url.startsWith(`${BASE}/`)).toBe(true);
    }
  });

  it('A3: every resid is defined in the Resources of its VersionOverrides', () => {
    for (const overrides of [...all(NS.vo10, 'VersionOverrides'), ...all(NS.vo11, 'VersionOverrides')]) {
      const ns = overrides.namespaceURI as string;
      const resources = Array.from(overrides.getElementsByTagNameNS(ns, 'Resources')).filter(
        (r) => r.parentElement === overrides,
      )[0];
      expect(resources).toBeDefined();
      const defined = new Set(
        Array.from(resources.getElementsByTagNameNS(NS.bt, '*'))
          .map((e) => e.getAttribute('id'))
          .filter(Boolean),
      );
      const used = Array.from(overrides.getElementsByTagNameNS('*', '*'))
        .filter((e) => closestOverrides(e) === overrides)
        .map((e) => e.getAttribute('resid'))
        .filter((r): r is string => Boolean(r));
      expect(used.length).toBeGreaterThan(0);
      for (const resid of used)
        expect({ resid, defined: defined.has(resid) }).toEqual({ resid, defined: true });
    }
  });

  it('A3: strings are given in English with a French override', () => {
    const strings = all(NS.bt, 'String');
    expect(strings.length).toBeGreaterThan(0);
    for (const s of strings) {
      expect(s.getAttribute('DefaultValue')).toBeTruthy();
      const locales = all(NS.bt, 'Override', s).map((o) => o.getAttribute('Locale'));
      expect(locales).toContain('fr-FR');
    }
  });

  it('A3: every icon it references exists in assets/ as a PNG of the announced size', () => {
    const iconUrls = allElements()
      .map((e) => e.getAttribute('DefaultValue') ?? '')
      .filter((v) => v.endsWith('.png'));
    expect(iconUrls.length).toBeGreaterThanOrEqual(5);
    const sizes = new Set<number>();
    for (const url of iconUrls) {
      const rel = url.slice(BASE.length + 1);
      expect(rel).toMatch(/^assets\/icon-\d+\.png$/);
      const file = path.join(ROOT, rel);
      expect(fs.existsSync(file)).toBe(true);
      const png = fs.readFileSync(file);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      const size = Number(/icon-(\d+)\.png$/.exec(rel)![1]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
      sizes.add(size);
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([16, 32, 64, 80, 128]);
  });
});

function closestOverrides(e: XmlElement): XmlElement | null {
  let p = e.parentElement;
  while (p && p.localName !== 'VersionOverrides') p = p.parentElement;
  return p;
}

describe('A3: manifest.json (unified manifest)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

  it('A3: same add-in: id, pinnable task pane on organizer and attendee meetings, our API', () => {
    expect(manifest.id).toBe(all(NS.app, 'Id')[0].textContent);
    const extension = manifest.extensions[0];
    expect(extension.ribbons[0].contexts).toEqual(['meetingDetailsOrganizer', 'meetingDetailsAttendee']);
    expect(extension.runtimes[0].actions[0]).toMatchObject({ type: 'openPage', pinnable: true });
    expect(manifest.webApplicationInfo.id).toBe('33333333-3333-4333-8333-333333333333');
  });

  it('A3: every URL is https under the base and every file it names exists', () => {
    const urls = JSON.stringify(manifest).match(/[a-z]+:\/\/[^"]+/gi) ?? [];
    for (const url of urls.filter((u) => !u.startsWith('api://') && !u.includes('json-schemas'))) {
      expect(url.startsWith(`${BASE}/`)).toBe(true);
      if (url.endsWith('.png')) expect(fs.existsSync(path.join(ROOT, url.slice(BASE.length + 1)))).toBe(true);
    }
    for (const rel of [
      manifest.icons.color,
      manifest.icons.outline,
      manifest.localizationInfo.additionalLanguages[0].file,
    ]) {
      expect(fs.existsSync(path.join(ROOT, rel))).toBe(true);
    }
  });
});
