import { HUBSPOT_EXPORTS } from './hubspot.ts';
import { SALESFORCE_EXPORTS } from './salesforce.ts';
import { WUKONG_EXPORTS } from './wukong.ts';
import { ZOHO_EXPORTS } from './zoho.ts';
import { normaliseHeader, SOURCE_SYSTEMS, type ExportKind, type SourceSystem } from './types.ts';

export { SOURCE_SYSTEMS, normaliseHeader, type ExportKind, type SourceSystem } from './types.ts';

/** Every export kind we recognise, most specific first within a system. */
export const EXPORT_KINDS: readonly ExportKind[] = Object.freeze([...WUKONG_EXPORTS, ...HUBSPOT_EXPORTS, ...SALESFORCE_EXPORTS, ...ZOHO_EXPORTS]);

/**
 * The export kind a file's headers identify: the one with the largest fully present signature (ties: the first
 * listed), among `system`'s kinds when one is given. Null when none matches.
 */
export function detectExportKind(headers: readonly string[], system?: SourceSystem): ExportKind | null {
  const present = new Set(headers.map(normaliseHeader));
  let best: { kind: ExportKind; size: number } | null = null;
  for (const kind of EXPORT_KINDS) {
    if (system && kind.system !== system) continue;
    for (const signature of kind.signatures) {
      if (signature.every((header) => present.has(normaliseHeader(header))) && (best === null || signature.length > best.size)) {
        best = { kind, size: signature.length };
      }
    }
  }
  return best?.kind ?? null;
}

/** For an error message: what each kind of a system (or of all) expects to see. */
export function describeExportKinds(system?: SourceSystem): string {
  return EXPORT_KINDS.filter((k) => !system || k.system === system)
    .map((k) => `${k.label}: ${k.signatures.map((s) => s.join(' + ')).join(' or ')}`)
    .join('; ');
}

export function isSourceSystem(name: string): name is SourceSystem {
  return (SOURCE_SYSTEMS as readonly string[]).includes(name);
}
