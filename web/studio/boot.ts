import { routeFrom } from '../store/route.ts'
import { startStudio } from './preload.ts'

// The app's first import: at a studio's address its campaign and stems are asked for before the
// rest of the app's modules (React, the pages, the schemas) are evaluated, about 0.15 s earlier,
// and so is the studio's code (the page, Tone.js, the engine): it used to be asked for only once
// React had rendered the shell, 40 ms on (App takes the same module when it renders the page).
startStudio(window.location.pathname)
const { page } = routeFrom(window.location.pathname)
if (page === 'studio' || page === 'remix') void import('../pages/StudioPage.tsx')
