import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_TYPES } from './alert-types.js';
import { COMMAND_LINE_RULES } from './command-line-rules.js';
import { RANGE_RULE_TYPES } from './custom-rules.js';
import { RECOMMENDATION_TYPES } from './recommendation-types.js';
import { ALLOWLIST_RULES } from '../detect/allowlists.js';

const page = readFileSync(new URL('../../../../docs/detections.md', import.meta.url), 'utf8');

describe('docs/detections.md', () => {
  it('documents every alert, command-line rule, custom rule and recommendation the code raises', () => {
    const ids = [
      ...Object.values(ALERT_TYPES).map((type) => type.typeId),
      ...COMMAND_LINE_RULES.map((rule) => rule.typeId),
      ...RANGE_RULE_TYPES.map((rule) => rule.ruleId),
      ...Object.keys(ALLOWLIST_RULES),
      ...Object.values(RECOMMENDATION_TYPES).map((type) => type.typeId),
    ];
    const missing = ids.filter((id) => !page.includes(`\`${id}\``));
    expect(missing).toEqual([]);
  });
});
