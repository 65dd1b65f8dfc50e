// Filter and sort the contracts table, as progressive enhancement.
//
// Loaded only by the pages that list contracts. Without JavaScript the table is left exactly as
// it was built. With it, above each table of contracts (table.app-table--contracts) this adds a
// text filter and, where the table has more than one of them, selects for the buyer, the type
// of supplier and the ward served (from the rows' data-buyer and data-supplier-type attributes, and
// data-wards: a JSON list of the areas each contract serves, also matched by the text filter), all
// combined; rows that do not match are hidden, and the number shown is announced ("12 of 64 contracts shown"). Each column
// header becomes a button that sorts by that column, with aria-sort on the header: numeric
// columns by their cells' data-sort values (blank or missing values last), the others
// alphabetically by their first link's text.

const STATUS_DELAY_MS = 400

const stylesheet = new URL('../css/enhance.css', import.meta.url).href
if (!document.querySelector(`link[href="${stylesheet}"]`)) {
  const link = document.createElement('link')
  link.rel = 'stylesheet'
  link.href = stylesheet
  document.head.append(link)
}

document.querySelectorAll('table.app-table--contracts').forEach((table, index) => {
  enhance(table, `contracts-${index + 1}`)
})

function enhance (table, id) {
  const body = table.tBodies[0]
  if (!body || body.rows.length < 2 || !table.tHead) return
  const rows = Array.from(body.rows, (row, position) => {
    const wards = list(row.dataset.wards)
    return {
      row,
      position,
      text: normalise(`${row.textContent} ${wards.join(' ')}`),
      buyer: row.dataset.buyer || '',
      supplierType: row.dataset.supplierType || '',
      wards
    }
  })
  addFilters(table, id, rows)
  addSorting(table, rows)
}

// Filtering

function addFilters (table, id, rows) {
  const panel = document.createElement('div')
  panel.className = 'app-table-filter'

  const textGroup = formGroup()
  const label = element('label', 'govuk-label', 'Filter contracts')
  label.htmlFor = `${id}-filter`
  const hint = element('div', 'govuk-hint', 'Any word from a contract, its supplier, its buyer, its ID or a ward it serves')
  hint.id = `${id}-filter-hint`
  const input = element('input', 'govuk-input')
  input.id = `${id}-filter`
  input.type = 'search'
  input.autocomplete = 'off'
  input.spellcheck = false
  input.setAttribute('aria-describedby', hint.id)
  textGroup.append(label, hint, input)
  panel.append(textGroup)

  const selects = [
    choice(panel, `${id}-buyer`, 'Buyer', 'All buyers', rows, 'buyer'),
    choice(panel, `${id}-supplier-type`, 'Type of supplier', 'All types of supplier', rows, 'supplierType'),
    choice(panel, `${id}-ward`, 'Ward served', 'Any ward', rows, 'wards')
  ].filter(Boolean)

  const status = element('p', 'govuk-body app-table-filter__count')
  status.id = `${id}-count`
  status.setAttribute('role', 'status')
  status.setAttribute('aria-live', 'polite')
  status.textContent = shownText(rows.length, rows.length)

  const container = table.closest('.app-table-container') || table
  container.before(panel, status)

  let timer = null
  function apply () {
    const words = normalise(input.value).split(' ').filter(Boolean)
    let shown = 0
    for (const entry of rows) {
      const match = words.every((word) => entry.text.includes(word)) &&
        selects.every(({ select, key }) => !select.value || [].concat(entry[key]).includes(select.value))
      entry.row.hidden = !match
      if (match) shown += 1
    }
    // Announce once the typing pauses, not on every key
    window.clearTimeout(timer)
    timer = window.setTimeout(() => { status.textContent = shownText(shown, rows.length) }, STATUS_DELAY_MS)
  }
  input.addEventListener('input', apply)
  for (const { select } of selects) select.addEventListener('change', apply)
}

function choice (panel, id, text, all, rows, key) {
  const values = [...new Set(rows.flatMap((entry) => entry[key]).filter(Boolean))].sort(byText)
  if (values.length < 2) return null
  const group = formGroup()
  const label = element('label', 'govuk-label', text)
  label.htmlFor = id
  const select = element('select', 'govuk-select')
  select.id = id
  select.append(new Option(all, ''), ...values.map((value) => new Option(value, value)))
  group.append(label, select)
  panel.append(group)
  return { select, key }
}

function shownText (shown, total) {
  return `${shown.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} ${total === 1 ? 'contract' : 'contracts'} shown`
}

// Sorting

function addSorting (table, rows) {
  const headers = Array.from(table.tHead.rows[0].cells)
  const body = table.tBodies[0]
  headers.forEach((header, column) => {
    const numeric = header.classList.contains('govuk-table__header--numeric')
    const button = element('button', 'app-sort-button')
    button.type = 'button'
    button.append(...header.childNodes)
    const icon = element('span', 'app-sort-button__icon', '↕')
    icon.setAttribute('aria-hidden', 'true')
    button.append(icon)
    header.replaceChildren(button)
    header.setAttribute('aria-sort', 'none')

    button.addEventListener('click', () => {
      const direction = header.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending'
      for (const other of headers) {
        other.setAttribute('aria-sort', 'none')
        other.querySelector('.app-sort-button__icon').textContent = '↕'
      }
      header.setAttribute('aria-sort', direction)
      icon.textContent = direction === 'ascending' ? '▲' : '▼'
      const keyed = rows.map((entry) => ({ entry, key: sortKey(entry.row.cells[column], numeric) }))
      keyed.sort((a, b) => compareKeys(a.key, b.key, direction) || a.entry.position - b.entry.position)
      body.append(...keyed.map(({ entry }) => entry.row))
    })
  })
}

function sortKey (cell, numeric) {
  if (!cell) return null
  if (numeric) {
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.replace(/[£,%\s]/g, '')
    const number = Number.parseFloat(raw)
    return Number.isFinite(number) ? number : null
  }
  const source = cell.dataset.sort !== undefined ? cell.dataset.sort : (cell.querySelector('a') || cell).textContent
  const text = source.trim()
  return text || null
}

// Blank values go last whichever way the column is sorted.
function compareKeys (a, b, direction) {
  if (a === null || b === null) return (a === null) - (b === null)
  const order = typeof a === 'number' ? a - b : byText(a, b)
  return direction === 'ascending' ? order : -order
}

// Helpers

// A data-* attribute holding a JSON list of text: its items ([] when missing or unreadable)
function list (json) {
  try {
    const items = JSON.parse(json || '[]')
    return Array.isArray(items) ? items.filter((item) => typeof item === 'string') : []
  } catch {
    return []
  }
}

function byText (a, b) {
  return a.localeCompare(b, 'en-GB', { sensitivity: 'base', numeric: true })
}

function normalise (text) {
  return text.toLocaleLowerCase('en-GB').replace(/\s+/g, ' ').trim()
}

function formGroup () {
  return element('div', 'govuk-form-group')
}

function element (name, className, text) {
  const node = document.createElement(name)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}
