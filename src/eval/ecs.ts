/**
 * Field types from the Elastic Common Schema (the `@elastic/ecs` package, packed into
 * `generated/ecs-types.ts` by `scripts/ecs-types.ts`), grouped into the families the evaluator's
 * semantics need.
 *
 * Fields that ECS does not define are typed from their JSON value, as Elasticsearch's dynamic
 * mapping would (a number is numeric, a boolean boolean) except that strings are `keyword`
 * (dynamic mapping would make them `text` with a `.keyword` sub-field; rule authors query the
 * exact value, and integrations map their string fields as keyword). See `fieldFamily`.
 */
import { ECS_PACKED, ECS_TYPE_NAMES, ECS_VERSION } from './generated/ecs-types';

export { ECS_VERSION };

/** How a field's values are matched. */
export type FieldFamily = 'keyword' | 'text' | 'numeric' | 'date' | 'ip' | 'boolean' | 'object' | 'other';

export interface EcsField {
  name: string;
  /** The Elasticsearch type (`keyword`, `match_only_text`, `ip`, `long`, …). */
  type: string;
  /** Has a `.text` multi-field (`match_only_text`). */
  textSubfield: boolean;
}

let table: Map<string, EcsField> | null = null;

function decode(): Map<string, EcsField> {
  const m = new Map<string, EcsField>();
  let prev = '';
  for (const entry of ECS_PACKED.split(';')) {
    const bar = entry.lastIndexOf('|');
    const head = entry.slice(0, bar);
    const tail = entry.slice(bar + 1);
    const shared = parseInt(head.charAt(0), 36);
    const name = prev.slice(0, shared) + head.slice(1);
    const codeIndex = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(tail.charAt(0));
    m.set(name, { name, type: ECS_TYPE_NAMES[codeIndex] ?? 'keyword', textSubfield: tail.endsWith('+') });
    prev = name;
  }
  return m;
}

function ecsTable(): Map<string, EcsField> {
  if (table === null) table = decode();
  return table;
}

/** Every ECS field (decoded once). */
export function ecsFields(): ReadonlyMap<string, EcsField> {
  return ecsTable();
}

/** The ECS definition of `name`; `name.text` of a field with a text multi-field is typed too. */
export function ecsType(name: string): string | null {
  const t = ecsTable();
  const f = t.get(name);
  if (f) return f.type;
  if (name.endsWith('.text')) {
    const parent = t.get(name.slice(0, -5));
    if (parent?.textSubfield) return 'match_only_text';
  }
  return null;
}

/** The family of an Elasticsearch type name. */
export function familyOfType(type: string): FieldFamily {
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'flattened':
    case 'version':
      return 'keyword';
    case 'text':
    case 'match_only_text':
      return 'text';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
    case 'unsigned_long':
      return 'numeric';
    case 'date':
    case 'date_nanos':
      return 'date';
    case 'ip':
      return 'ip';
    case 'boolean':
      return 'boolean';
    case 'object':
    case 'nested':
      return 'object';
    default:
      return 'other';
  }
}

/** True for numeric types that hold integers (so that `/` divides as integers, like Java). */
export function isIntegerType(type: string): boolean {
  return type === 'long' || type === 'integer' || type === 'short' || type === 'byte' || type === 'unsigned_long';
}

/**
 * The family a field's values are matched with: the ECS type when ECS defines the field, else
 * inferred from the JSON value (number → numeric, boolean → boolean, anything else → keyword).
 */
export function fieldFamily(name: string, sample?: unknown): FieldFamily {
  const t = ecsType(name);
  if (t !== null) {
    const f = familyOfType(t);
    return f === 'other' ? 'keyword' : f;
  }
  if (typeof sample === 'number') return 'numeric';
  if (typeof sample === 'boolean') return 'boolean';
  return 'keyword';
}
