// Progressive enhancement only: every page works without JavaScript.
// Loaded as an ES module from the end of <body>, so it runs once the page is
// parsed. No inline script: the Content Security Policy allows only 'self'.
import { initAll } from './govuk-frontend.min.js'

// GOV.UK Frontend styles its JavaScript-enhanced components (for example the
// service navigation's "Menu" toggle) only when these classes are on <body>.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()
