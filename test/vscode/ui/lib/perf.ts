/** The perf decorations as a person sees them in the workbench, and a save that changes nothing in the network. */
import { until, type Workbench } from './workbench';

/**
 * What the perf decorations show: the `after` text of decorations is CSS generated content (::after), not DOM text;
 * read both, from the lines of the active editor.
 */
export async function perfDecorations(w: Workbench): Promise<string[]> {
  return w.editor().evaluate((ed) => {
    const out: string[] = [];
    for (const el of ed.querySelectorAll<HTMLElement>('.view-lines .view-line span')) {
      for (const pseudo of ['::after', '::before']) {
        const c = getComputedStyle(el, pseudo).content;
        if (c && c !== 'none' && c !== 'normal' && /ms (CPU|fp32|int8)|measuring/.test(c)) out.push(c.replace(/^"|"$/g, ''));
      }
      const t = el.textContent ?? '';
      if (/ms (CPU|fp32|int8)|measuring…/.test(t) && el.children.length === 0) out.push(t);
    }
    return out;
  });
}

/** Adds a comment line at the end of the file (the network does not change), saves, and scrolls back to the stages. */
export async function editAndSave(w: Workbench): Promise<void> {
  await w.page.keyboard.press('Control+End');
  await w.page.keyboard.press('Enter');
  await w.type('# saved by the UI test');
  await w.save();
  // Only the lines on screen are in the DOM: the stage lines are at the top.
  await w.page.keyboard.press('Control+Home');
  await until('the stage lines on screen', async () => [...(await w.visibleLines()).values()].filter((l) => l.includes('MixVarGENetConfig(')).length === 5, 5000);
}
