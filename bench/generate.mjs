// Generators of large MixVarGENet configs for `npm run bench`, built from the seed config.
//
// scaledConfig(seed, k) returns a config about k times the seed's size:
//   * net_config: the seed's 5 stages, then 5·(k−1) more stages chained after them. The added stages
//     run at stride 1 on the last stage's 160 channels (so the network stays valid and 7x7 at the
//     end), cycling through J5 ops and writing stack_ops as expressions (`["op"] * n`, list sums),
//     as real configs do. k = 10 gives 50 stages, k = 100 gives 500.
//   * the surrounding text (settings, model / deploy_model dicts, deploy_inputs, data loaders): the
//     seed's own, plus k−1 copies in which every module-level name the seed assigns (other than
//     net_config) gets a suffix `_i` where it is assigned or used (not keyword names like
//     `num_classes=` nor attributes), so each copy is a self-consistent block of statements that
//     still points its backbones at the one net_config. Imports are written once.
// The generated configs analyse clean (no findings, no syntax errors); the bench warns if not.
// The result for k = 1 is the seed's text unchanged.

const NET_CONFIG_RE = /^net_config = \[\n[\s\S]*?^\]\n/m;

const EXTRA_STAGES = [
  { head: 'mixvarge_f2_gb16', stack: '["mixvarge_f2_gb16"] * 2' },
  { head: 'mixvarge_k3k3_f2_gb16', stack: '["mixvarge_f2_gb16", "mixvarge_k3k3_f2_gb16"]' },
  { head: 'mixvarge_f2_r_gb16', stack: '[]' },
  { head: 'mixvarge_f2', stack: '["mixvarge_f2"] + ["mixvarge_f2_gb16"] * 3' },
  { head: 'mixvarge_f4_gb16', stack: '["mixvarge_f4_gb16"]' },
];

/** The seed's text split into the part before net_config, net_config itself, and the rest. */
export function splitSeed(seed) {
  const m = NET_CONFIG_RE.exec(seed);
  if (!m) throw new Error('bench: could not find the net_config block in the seed config');
  return { before: seed.slice(0, m.index), netConfig: m[0], after: seed.slice(m.index + m[0].length) };
}

function extraStage(i) {
  const s = EXTRA_STAGES[i % EXTRA_STAGES.length];
  return (
    `    [MixVarGENetConfig(in_channels=160, out_channels=160, head_op="${s.head}",\n` +
    `                       stack_ops=${s.stack}, stack_factor=1, stride=1,\n` +
    `                       fusion_strides=[], extra_downsample_num=0)],                              # extra stage ${i}\n`
  );
}

/** Suffix the module-level names of a copy: assignment targets and uses, not keyword or attribute names. */
function renameCopy(block, names, i) {
  if (names.length === 0) return block;
  const alt = names.join('|');
  const target = new RegExp(`^(${alt})(?=\\s*=)`);
  const use = new RegExp(`(?<![.\\w])(${alt})\\b(?!\\s*=(?!=))`, 'g');
  return block
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line : line.replace(target, (n) => `${n}_${i}`).replace(use, (n) => `${n}_${i}`)))
    .join('\n');
}

/** A config about k times the seed's size (see the header comment). */
export function scaledConfig(seed, k) {
  if (k <= 1) return seed;
  const { before, netConfig, after } = splitSeed(seed);
  const closing = netConfig.lastIndexOf(']');
  let stages = netConfig.slice(0, closing);
  for (let i = 0; i < 5 * (k - 1); i++) stages += extraStage(i);
  const net = stages + netConfig.slice(closing);

  const isImport = (l) => /^(import|from)\s/.test(l);
  const beforeNoImports = before
    .split('\n')
    .filter((l) => !isImport(l))
    .join('\n');
  const surrounding = beforeNoImports + '\n' + after;
  const names = [...new Set([...surrounding.matchAll(/^([A-Za-z_]\w*)\s*=/gm)].map((m) => m[1]))].filter((n) => n !== 'net_config');
  let copies = '';
  for (let i = 1; i < k; i++) copies += `\n# ---- copy ${i} of the surrounding settings\n` + renameCopy(surrounding, names, i);
  return before + net + after + copies;
}
