// "Copy this address": the calendar's address in a "Follow" section (templates/_follow.html).
//
// Without JavaScript the address is in a read-only text box, to select and copy by hand. This
// module adds a "Copy the address" button under it, which copies the address and says so in a
// live region, and makes a click into the box select the whole address.

for (const group of document.querySelectorAll('[data-copy]')) {
  const input = group.querySelector('[data-copy-source]')
  if (input) enhance(group, input)
}

function enhance (group, input) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary govuk-!-margin-top-2 govuk-!-margin-bottom-1'
  button.textContent = 'Copy the address'
  const status = document.createElement('p')
  status.className = 'govuk-body-s govuk-!-margin-bottom-0'
  status.setAttribute('role', 'status')
  group.append(button, status)

  input.addEventListener('focus', () => input.select())
  input.addEventListener('click', () => input.select())
  button.addEventListener('click', async () => {
    input.select()
    status.textContent = (await copy(input.value))
      ? 'Address copied. Paste it into your calendar.'
      : 'The address could not be copied: it is selected, so press Ctrl and C (Command and C on a Mac) to copy it.'
  })
}

async function copy (text) {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    try {
      return document.execCommand('copy') // browsers without the Clipboard API, or that refuse it
    } catch {
      return false
    }
  }
}
