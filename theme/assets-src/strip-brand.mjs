// Removes the GOV.UK brand rules that GOV.UK Frontend's footer always emits:
// `.govuk-footer__crown` (the crown logo) and `.govuk-footer__copyright-logo`
// (the Royal Arms behind "Crown copyright"). The portal uses neither.
// Works on the compressed CSS that sass writes (no comments, no nesting).
//
// Usage: node strip-brand.mjs file.css   (rewrites the file in place)

import { readFileSync, writeFileSync } from 'node:fs'

const file = process.argv[2]
let css = readFileSync(file, 'utf8')
const before = css.length

const brand = /crown|crest|copyright-logo/i

// A plain rule: selector{declarations}. Drop the selectors that name the
// brand; drop the rule if none is left.
css = css.replace(/([^{}@;]+)\{([^{}]*)\}/g, (rule, selectors, body) => {
  const kept = selectors.split(',').filter((s) => !brand.test(s))
  if (kept.length === selectors.split(',').length) return rule
  return kept.length ? `${kept.join(',')}{${body}}` : ''
})

// At-rules left empty by the above (@supports(...){}, @media ...{}).
let previous
do {
  previous = css
  css = css.replace(/@[^{}]+\{\}/g, '')
} while (css !== previous)

writeFileSync(file, css)
console.log(`strip-brand: ${file}: ${before} -> ${css.length} bytes`)
