import { normalizeSlackText } from '../../../src/ingress/slashCommand/normalizeSlackText';

describe('normalizeSlackText', () => {
  it.each<[string, string, string]>([
    ['plain text', 'check lb-01 80', 'check lb-01 80'],
    [
      'auto-linked host with label',
      'check <http://lb-01.example.com|lb-01.example.com> 443',
      'check lb-01.example.com 443',
    ],
    ['link label differs from url', 'check <http://lb-01|lb-01> 80', 'check lb-01 80'],
    [
      'mailto with label',
      'check <mailto:ops@example.com|ops@example.com> 80',
      'check ops@example.com 80',
    ],
    ['link without label', 'check <http://lb-01> 80', 'check lb-01 80'],
    [
      'https link without label, trailing slash',
      'check <https://lb-01.example/> 80',
      'check lb-01.example 80',
    ],
    ['several links', '<http://a|a> <http://b>', 'a b'],
    ['user mention is kept', 'check <@U024BE7LH> 80', 'check <@U024BE7LH> 80'],
    ['channel mention is kept', 'check <#C024BE7LR|general> 80', 'check <#C024BE7LR|general> 80'],
    ['html entities', 'a &amp; b &lt;c&gt;', 'a & b <c>'],
    ['entity decoded once only', '&amp;lt;', '&lt;'],
    ['escaped angle brackets are not a link', '&lt;http://x|y&gt;', '<http://x|y>'],
    ['smart double quotes', 'check \u201clb-01\u201d 80', 'check "lb-01" 80'],
    ['smart single quotes', 'check \u2018lb-01\u2019 80', "check 'lb-01' 80"],
    ['non-breaking spaces', 'check\u00a0lb-01\u202f80', 'check lb-01 80'],
    ['zero-width space removed', 'check lb\u200b-01 80', 'check lb-01 80'],
    ['tabs and repeated spaces', '  check\t\tlb-01    80  ', 'check lb-01 80'],
    ['CRLF becomes a kept newline', 'check lb-01\r\n80', 'check lb-01\n80'],
    ['trailing newline trimmed', 'status\n', 'status'],
    ['empty', '', ''],
  ])('%s', (_name, input, want) => {
    expect(normalizeSlackText(input)).toBe(want);
  });
});
