// The search page (/search/): a small search form over Pagefind's JavaScript API.
//
// Without JavaScript the page only says that search needs it and links to the lists. This
// module hides that message, shows the form and, once Pagefind has loaded, fills the Type and
// Buyer filters from the index (the data-pagefind-filter values in the templates). The query
// and filters are kept in the address (?q=...&type=...&buyer=...), so a search can be shared,
// and the number of results is announced in a live region. Each result shows what it is (type
// and id, buyer, status) and the page's summary, from the metadata the pages give Pagefind
// (templates/_search.html). Pagefind runs WebAssembly: the page's Content Security Policy
// allows 'wasm-unsafe-eval' for it.

const PAGE_SIZE = 10
const TYPE_ORDER = ['Contract', 'Supplier', 'Buyer', 'Priority', 'Opportunity', 'Page', 'News']
const DEBOUNCE_MS = 300

const app = document.getElementById('search')
const fallback = document.querySelector('[data-search-fallback]')

if (app && fallback) {
  start()
}

async function start () {
  const form = app.querySelector('form')
  const input = app.querySelector('#search-q')
  const typeSelect = app.querySelector('#search-type')
  const buyerSelect = app.querySelector('#search-buyer')
  const status = app.querySelector('#search-status')
  const list = app.querySelector('#search-results')
  const more = app.querySelector('#search-more')

  const params = new URLSearchParams(window.location.search)
  input.value = params.get('q') || ''
  fallback.hidden = true
  app.hidden = false

  const root = new URL(app.dataset.searchRoot || '/', document.baseURI)
  let pagefind
  try {
    pagefind = await import(new URL('pagefind/pagefind.js', root).href)
    await pagefind.options({ baseUrl: root.pathname, excerptLength: 30 })
    await pagefind.init()
    const filters = await pagefind.filters()
    fillSelect(typeSelect, Object.keys(filters.type || {}), byTypeOrder, params.get('type'))
    fillSelect(buyerSelect, Object.keys(filters.buyer || {}), byName, params.get('buyer'))
  } catch (error) {
    console.error('Search could not start:', error)
    app.hidden = true
    fallback.querySelector('[data-search-reason]').textContent = 'Search is not available at the moment.'
    fallback.hidden = false
    return
  }

  let results = []
  let shown = 0
  let latest = 0
  let timer = null

  async function run () {
    window.clearTimeout(timer)
    const term = input.value.trim()
    const filters = {}
    if (typeSelect.value) filters.type = typeSelect.value
    if (buyerSelect.value) filters.buyer = buyerSelect.value
    keepInAddress(term, filters)
    const mine = ++latest
    if (!term && !Object.keys(filters).length) {
      results = []
      shown = 0
      list.replaceChildren()
      more.hidden = true
      status.textContent = ''
      return
    }
    try {
      const search = await pagefind.search(term || null, { filters })
      if (mine !== latest) return // a newer search has started
      results = search ? search.results : []
      shown = 0
      list.replaceChildren()
      await showMore(mine)
      if (mine !== latest) return
      status.textContent = describe(results.length, shown, term, filters)
    } catch (error) {
      console.error('Search failed:', error)
      if (mine === latest) status.textContent = 'Sorry, the search failed. Try again, or browse the lists instead.'
    }
  }

  async function showMore (mine) {
    const next = results.slice(shown, shown + PAGE_SIZE)
    const pages = await Promise.all(next.map((result) => result.data()))
    if (mine !== latest) return null
    const items = pages.map(resultItem)
    list.append(...items)
    shown += items.length
    const left = results.length - shown
    more.hidden = left <= 0
    more.textContent = `Show ${Math.min(left, PAGE_SIZE)} more ${left === 1 ? 'result' : 'results'}`
    return items[0] || null
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    run()
  })
  input.addEventListener('input', () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(run, DEBOUNCE_MS)
  })
  typeSelect.addEventListener('change', run)
  buyerSelect.addEventListener('change', run)
  more.addEventListener('click', async () => {
    const mine = latest
    const first = await showMore(mine)
    if (!first) return
    status.textContent = `Showing ${shown} of ${count(results.length)}.`
    first.querySelector('a').focus() // keep the keyboard where the new results start
  })

  if (input.value.trim() || typeSelect.value || buyerSelect.value) run()
}

function fillSelect (select, names, order, wanted) {
  for (const name of names.sort(order)) {
    const option = document.createElement('option')
    option.value = name
    option.textContent = name
    select.append(option)
  }
  if (wanted && names.includes(wanted)) select.value = wanted
}

function byName (a, b) {
  return a.localeCompare(b, 'en-GB', { sensitivity: 'base', numeric: true })
}

function byTypeOrder (a, b) {
  const rank = (name) => (TYPE_ORDER.includes(name) ? TYPE_ORDER.indexOf(name) : TYPE_ORDER.length)
  return rank(a) - rank(b) || byName(a, b)
}

function keepInAddress (term, filters) {
  const params = new URLSearchParams()
  if (term) params.set('q', term)
  for (const [name, value] of Object.entries(filters)) params.set(name, value)
  const query = params.toString()
  const address = window.location.pathname + (query ? `?${query}` : '')
  if (address !== window.location.pathname + window.location.search) {
    window.history.replaceState(null, '', address)
  }
}

function count (n) {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'result' : 'results'}`
}

function describe (total, shown, term, filters) {
  const parts = [count(total)]
  if (term) parts.push(`for “${term}”`)
  const chosen = Object.entries(filters).map(([name, value]) => `${name}: ${value}`)
  if (chosen.length) parts.push(`(${chosen.join(', ')})`)
  let text = `${parts.join(' ')}.`
  if (total > shown) text += ` Showing the first ${shown}.`
  return text
}

function resultItem (page) {
  const item = document.createElement('li')
  item.className = 'app-search-result'

  const heading = document.createElement('h2')
  heading.className = 'govuk-heading-s govuk-!-margin-bottom-1'
  const link = document.createElement('a')
  link.className = 'govuk-link'
  link.href = page.url
  link.textContent = (page.meta && page.meta.title) || page.url
  heading.append(link)
  item.append(heading)

  const about = facts(page)
  if (about.length) {
    const meta = document.createElement('p')
    meta.className = 'govuk-body-s app-search-result__meta'
    meta.textContent = about.join(' · ')
    item.append(meta)
  }

  // The page's own summary (its meta description, or its lead paragraph); an excerpt of its text,
  // with the words found marked, only for a page without one.
  const summary = page.meta && page.meta.summary
  if (summary || page.excerpt) {
    const excerpt = document.createElement('p')
    excerpt.className = 'govuk-body app-search-result__excerpt'
    if (summary) excerpt.textContent = summary
    else excerpt.append(...excerptNodes(page.excerpt))
    item.append(excerpt)
  }
  return item
}

// What a result is, from the filters and metadata its page gives Pagefind (templates/_search.html):
// "Contract MCC/ASC/2024/001", "Buyer: Manchester City Council", "Status: 2 of 3 commitments rated Good".
function facts (page) {
  const meta = page.meta || {}
  const type = ((page.filters || {}).type || [])[0]
  const found = []
  if (type) found.push(meta.id ? `${type} ${meta.id}` : type)
  if (meta.buyer) found.push(`Buyer: ${meta.buyer}`)
  if (meta.status) found.push(`Status: ${meta.status}`)
  return found
}

// Pagefind's excerpt is HTML with <mark> around the words found. Parse it in an inert document
// and keep only its text and the <mark>s, so nothing else from the index reaches the page.
function excerptNodes (html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html')
  const source = parsed.body.firstElementChild || parsed.body
  return Array.from(source.childNodes, (node) => {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark')
      mark.textContent = node.textContent
      return mark
    }
    return document.createTextNode(node.textContent)
  })
}
