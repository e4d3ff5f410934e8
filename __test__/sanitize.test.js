'use strict'

// sanitizeHtml against the OWASP filter-evasion vectors, judged by parsing the output with jsdom
// (the way a browser would) rather than by string matching; sanitizeFilename; validateSqlInterval.

const test = require('node:test')
const assert = require('node:assert/strict')
const { JSDOM } = require('jsdom')
const shield = require('..')
const { vectors } = require('./fixtures/owasp-xss-vectors.json')

const URL_ATTRIBUTES = [
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'background',
  'lowsrc',
  'dynsrc',
  'poster',
  'srcset',
  'cite',
  'longdesc',
]
const FORBIDDEN_ELEMENTS = [
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'base',
  'meta',
  'link',
  'form',
  'svg',
  'math',
  'template',
  'noscript',
  'xss',
]

/** What a browser would treat as the scheme of a URL attribute, after its own clean-up. */
function schemeOf(value) {
  const cleaned = value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase()
  const m = /^([a-z][a-z0-9+.-]*):/.exec(cleaned)
  return m ? m[1] : null
}

/** Every way the sanitised HTML could still run script, found in the parsed document. */
function scriptHazards(html) {
  const { document } = new JSDOM(`<!doctype html><body>${html}</body>`).window
  const hazards = []
  for (const el of document.body.querySelectorAll('*')) {
    const tag = el.localName
    if (FORBIDDEN_ELEMENTS.includes(tag)) hazards.push(`<${tag}>`)
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase()
      if (name.startsWith('on')) hazards.push(`${tag}[${name}]`)
      if (name === 'style' || name === 'srcdoc') hazards.push(`${tag}[${name}]`)
      if (
        URL_ATTRIBUTES.includes(name) &&
        ['javascript', 'vbscript', 'data', 'livescript'].includes(schemeOf(attr.value))
      ) {
        hazards.push(`${tag}[${name}=${attr.value}]`)
      }
    }
  }
  return hazards
}

test('no OWASP filter-evasion vector survives sanitising with any way to run script', () => {
  assert.ok(vectors.length >= 90)
  for (const vector of vectors) {
    const out = shield.sanitizeHtml(vector)
    assert.deepEqual(scriptHazards(out), [], `${vector}\n→ ${out}`)
    // Sanitising is idempotent: a second pass has nothing left to remove.
    assert.equal(shield.sanitizeHtml(out), out, vector)
  }
})

test('the hazard detector itself catches the raw vectors', () => {
  const caught = vectors.filter((v) => scriptHazards(v).length > 0).length
  assert.ok(caught / vectors.length > 0.8, `only ${caught} of ${vectors.length}`)
})

test('no vector runs script in a DOM that executes scripts', async () => {
  const page = vectors.map((v) => shield.sanitizeHtml(v)).join('\n')
  const dom = new JSDOM(`<!doctype html><body>${page}</body>`, {
    runScripts: 'dangerously',
    beforeParse(window) {
      window.__ran = 0
      window.alert = window.prompt = window.confirm = () => window.__ran++
    },
  })
  for (const el of dom.window.document.querySelectorAll('*')) {
    for (const type of ['click', 'mouseover', 'error', 'load', 'toggle', 'focus'])
      el.dispatchEvent(new dom.window.Event(type))
  }
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(dom.window.__ran, 0)
  dom.window.close()
})

test('safe markup survives, links get rel="noopener noreferrer"', () => {
  const doc =
    '<h1>Title</h1><p>Some <b>bold</b>, <em>em</em> and <code>code</code>.</p><ul><li>one</li></ul><img src="https://img.example/a.png" alt="a">'
  assert.equal(shield.sanitizeHtml(doc), doc)
  assert.equal(
    shield.sanitizeHtml('<a href="https://example.com" rel="opener">x</a>'),
    '<a href="https://example.com" rel="noopener noreferrer">x</a>',
  )
})

test('allow-lists narrow or widen the policy; unsafe ones are refused at creation', () => {
  const options = { allowedTags: ['p', 'a'], allowedAttributes: { a: ['href'] }, allowedSchemes: ['https'] }
  assert.equal(
    shield.sanitizeHtml('<p><b>x</b><a href="http://e.com" title="t">y</a></p>', options),
    '<p>x<a rel="noopener noreferrer">y</a></p>',
  )
  const clean = shield.createHtmlSanitizer({ allowedTags: ['mark'] })
  assert.equal(clean('<mark>hit</mark><p>gone</p>'), '<mark>hit</mark>gone')
  for (const bad of [
    { allowedTags: ['script'] },
    { allowedTags: 'b' },
    { allowedAttributes: { '*': ['onclick'] } },
    { allowedAttributes: { a: ['rel'] } },
    { allowedAttributes: ['href'] },
    { allowedSchemes: ['javascript'] },
    { linkRel: 'x" onclick="y' },
    { allowedTag: ['b'] },
    'strict',
  ]) {
    assert.throws(
      () => shield.sanitizeHtml('<b>x</b>', bad),
      (e) => e.code === 'INVALID_CONFIG',
      JSON.stringify(bad),
    )
    assert.throws(
      () => shield.createHtmlSanitizer(bad),
      (e) => e.code === 'INVALID_CONFIG',
    )
  }
})

test('sanitizeHtml: odd and enormous input', () => {
  assert.equal(shield.sanitizeHtml(''), '')
  assert.equal(shield.sanitizeHtml('a\ud800b'), 'a\ufffdb')
  assert.equal(shield.sanitizeHtml('<p>\u202e\u0000x</p>'), '<p>\u202ex</p>')
  const big = '<p>' + 'lorem <b>ipsum</b> '.repeat(60000) + '</p><script>x</script>'
  const out = shield.sanitizeHtml(big)
  assert.ok(big.length > 1e6 && out.length > 1e6 && !out.includes('<script'))
  for (const bad of [undefined, null, 1, {}, Buffer.from('<b>')]) {
    assert.throws(
      () => shield.sanitizeHtml(bad),
      (e) => e.code === 'INVALID_ARGUMENT',
    )
  }
})

test('sanitizeFilename', () => {
  const cases = {
    'report.pdf': 'report.pdf',
    '../../etc/passwd': '.._.._etc_passwd',
    'C:\\Windows\\system.ini': 'C_Windows_system.ini',
    CON: '_CON',
    'aux.txt': '_aux.txt',
    'name. . ': 'name',
    'in\u202efdp.exe': 'in_fdp.exe',
    'tab\there': 'tab_here',
    'résumé.docx': 'résumé.docx',
    '.htaccess': '.htaccess',
  }
  for (const [input, want] of Object.entries(cases)) assert.equal(shield.sanitizeFilename(input), want, input)
  const long = shield.sanitizeFilename('ж'.repeat(500) + '.png')
  assert.ok(Buffer.byteLength(long) <= 255 && long.endsWith('.png'))
  assert.equal(Buffer.byteLength(shield.sanitizeFilename('x'.repeat(1 << 20))), 255)
  for (const empty of ['', '..', '/', '\u0000', ' . ']) {
    assert.throws(
      () => shield.sanitizeFilename(empty),
      (e) => e.code === 'INVALID_FILENAME',
      JSON.stringify(empty),
    )
    assert.equal(shield.sanitizeFilename(empty, { fallback: 'upload.bin' }), 'upload.bin')
  }
  const prepared = shield.createFilenameSanitizer({ replacement: '-', maxBytes: 12 })
  assert.equal(prepared('a/b/c.txt'), 'a-b-c.txt')
  for (const bad of [{ replacement: '/' }, { maxBytes: 0 }, { fallback: '../x' }, { other: 1 }]) {
    assert.throws(
      () => shield.sanitizeFilename('x', bad),
      (e) => e.code === 'INVALID_CONFIG',
    )
  }
  for (const bad of [undefined, null, 1, {}])
    assert.throws(
      () => shield.sanitizeFilename(bad),
      (e) => e.code === 'INVALID_ARGUMENT',
    )
})

test('validateSqlInterval accepts PostgreSQL intervals and nothing that could carry SQL', () => {
  for (const good of [
    '7 days',
    '1 hour 30 minutes',
    '2 weeks ago',
    '@ 3 mons',
    '1 day 02:03:04',
    'P1DT2H',
    'PT30M',
    '-1.5 hours',
  ]) {
    assert.equal(shield.validateSqlInterval(good), true, good)
  }
  for (const bad of [
    "7 days'; DROP TABLE users; --",
    "1 day' OR '1'='1",
    '1 day; SELECT 1',
    '1 day /**/',
    '1 day -- c',
    '7 days 7 days',
    'tomorrow',
    '',
    'P',
    '1 day\n',
    '１ day',
  ]) {
    assert.equal(shield.validateSqlInterval(bad), false, bad)
  }
  for (const other of [undefined, null, 7, ['7 days'], { toString: () => '7 days' }, 'x'.repeat(1 << 20)]) {
    assert.equal(shield.validateSqlInterval(other), false)
  }
})

test('sanitizeHtml costs linear time in the nesting of block elements (4x the input, well under 16x the time)', () => {
  const { sanitizeHtml } = require('..')
  const fastest = (html) => {
    let best = Infinity
    // Best of five: a shared machine's other load only ever adds time.
    for (let i = 0; i < 5; i++) {
      const start = process.hrtime.bigint()
      sanitizeHtml(html)
      best = Math.min(best, Number(process.hrtime.bigint() - start))
    }
    return best
  }
  for (const [open, close] of [
    ['<div>', '</div>'],
    ['<ul><li>', ''],
    ['<dl><dd>', ''],
    ['<section>', ''],
    ['<blockquote>', ''],
    ['<pre>', ''],
  ]) {
    const doc = (n) => `${open.repeat(n)}x${close.repeat(n)}`
    const ratio = fastest(doc(20_000)) / fastest(doc(5_000))
    // Linear is 4x, quadratic 16x; 10 leaves room for a loaded machine and still tells them apart.
    assert.ok(ratio < 10, `${open}: 4x the nesting took ${ratio.toFixed(1)}x the time`)
  }
  // Within the bound nothing changes; past it, content stays and the depth is bounded.
  const shallow = '<div><ul><li>a</li></ul></div>'
  assert.strictEqual(sanitizeHtml(shallow), shallow)
  const deep = sanitizeHtml(`${'<div>'.repeat(1000)}kept${'</div>'.repeat(1000)}`)
  assert.ok(deep.includes('kept'))
  assert.strictEqual(deep.split('<div>').length - 1, 256)
})

test("sanitizeHtmlAsync and a sanitiser's .async clean off the event loop, with every error a rejection", async () => {
  const { sanitizeHtml, sanitizeHtmlAsync, createHtmlSanitizer } = require('..')
  const html = '<p onclick="x()">hi<script>alert(1)</script></p>'.repeat(2000)
  assert.strictEqual(await sanitizeHtmlAsync(html), sanitizeHtml(html))
  const strict = createHtmlSanitizer({ allowedTags: ['b'] })
  assert.strictEqual(await strict.async('<b>x</b><i>y</i>'), '<b>x</b>y')
  await assert.rejects(sanitizeHtmlAsync(42), { code: 'INVALID_ARGUMENT' })
  await assert.rejects(sanitizeHtmlAsync('<b>', { allowedTags: ['script'] }), { code: 'INVALID_CONFIG' })
  await assert.rejects(strict.async(null), { code: 'INVALID_ARGUMENT' })
})
