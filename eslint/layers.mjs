// The dependency direction of docs/ARCHITECTURE.md, as an ESLint rule: every import of a file is
// resolved to the folder it lands in, and a layer may only reach the layers below it. Written here
// (not a plugin) because the rule is the project's own and must read as its architecture does.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The layer a repository file belongs to, or null when no rule applies to it. */
export function layerOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  if (rel.startsWith('contract/')) return 'contract';
  if (/^(addin|admin|ui-common)\//.test(rel)) return 'web';
  const m = /^server\/([^/]+)(\/|$)/.exec(rel);
  if (!m) return null;
  if (!rel.slice('server/'.length).includes('/')) {
    return rel === 'server/main.ts' ? 'compose' : 'kernel';
  }
  return m[1];
}

/**
 * What each layer may import (other layers; packages are free unless listed as forbidden).
 * http → sync → (hector, graph, store); compose (and main.ts) wires them all.
 */
const ALLOWED = {
  contract: ['contract'],
  kernel: ['kernel', 'contract'],
  store: ['store', 'kernel', 'contract'],
  graph: ['graph', 'kernel', 'contract'],
  hector: ['hector', 'store', 'kernel', 'contract'],
  sync: ['sync', 'hector', 'graph', 'store', 'kernel', 'contract'],
  http: ['http', 'sync', 'hector', 'graph', 'store', 'kernel', 'contract'],
  testMode: ['testMode', 'http', 'graph', 'kernel', 'contract'],
  compose: ['compose', 'http', 'testMode', 'sync', 'hector', 'graph', 'store', 'kernel', 'contract'],
  web: ['web', 'contract'],
};
/** Packages a layer must not use: the use cases and everything below know nothing of HTTP. */
const FORBIDDEN_PACKAGES = {
  contract: /./,
  kernel: /^(express|pg-boss|kysely|pg|@electric-sql\/)/,
  store: /^express$/,
  graph: /^(express|kysely|pg|pg-boss)$/,
  hector: /^express$/,
  sync: /^express$/,
};

const isRelative = (spec) => spec.startsWith('./') || spec.startsWith('../');

function check(context, node, spec, typeOnly) {
  const file = context.filename ?? context.getFilename();
  const from = layerOf(file);
  if (!from) return;
  if (!isRelative(spec)) {
    const banned = FORBIDDEN_PACKAGES[from];
    const bare = spec.replace(/^node:/, '');
    if (banned && banned.test(bare) && !(from === 'contract' && typeOnly)) {
      context.report({ node, messageId: 'package', data: { from, spec } });
    }
    return;
  }
  const target = layerOf(path.resolve(path.dirname(file), spec));
  if (!target) {
    if (from !== 'compose') context.report({ node, messageId: 'outside', data: { from, spec } });
    return;
  }
  if (!ALLOWED[from]?.includes(target)) {
    context.report({ node, messageId: 'layer', data: { from, to: target, spec } });
    return;
  }
  // The pages get the API's shapes, never code: webpack must not bundle anything of the server's.
  if (from === 'web' && target === 'contract' && !typeOnly) {
    context.report({ node, messageId: 'typeOnly', data: { spec } });
  }
}

const importIsTypeOnly = (node) =>
  node.importKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));

export const layersPlugin = {
  rules: {
    'dependency-direction': {
      meta: {
        type: 'problem',
        docs: { description: 'Imports follow the layers of docs/ARCHITECTURE.md' },
        messages: {
          layer:
            "'{{from}}' may not import '{{to}}' ({{spec}}): dependencies point down (docs/ARCHITECTURE.md).",
          package: "'{{from}}' may not use the package '{{spec}}' (docs/ARCHITECTURE.md).",
          outside: "'{{from}}' may not import '{{spec}}': it is outside the service's layers.",
          typeOnly: "The pages import the API contract as types only: use 'import type' ({{spec}}).",
        },
        schema: [],
      },
      create(context) {
        return {
          ImportDeclaration: (node) => check(context, node, node.source.value, importIsTypeOnly(node)),
          ExportNamedDeclaration: (node) =>
            node.source && check(context, node, node.source.value, node.exportKind === 'type'),
          ExportAllDeclaration: (node) => check(context, node, node.source.value, node.exportKind === 'type'),
          ImportExpression: (node) =>
            node.source.type === 'Literal' && check(context, node, String(node.source.value), false),
          CallExpression: (node) => {
            if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
              const arg = node.arguments[0];
              if (arg?.type === 'Literal' && typeof arg.value === 'string')
                check(context, node, arg.value, false);
            }
          },
        };
      },
    },
  },
};
