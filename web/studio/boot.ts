import { startStudio } from './preload.ts'

// The app's first import: at a studio's address its campaign and stems are asked for before the
// rest of the app's modules (React, the pages, the schemas) are evaluated, about 0.15 s earlier.
startStudio(window.location.pathname)
