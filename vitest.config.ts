import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/chromium.ts'

// The system Chromium with the flags this closed network needs.
const chromium = playwright({
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
})

/**
 * Every test: pure units in Node (the fast loop), their long DSP sweeps (soak), the worker inside
 * workerd, end to end and audio renders in Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'web/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.soak.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        // The long DSP sweeps (each has a small sample in the unit project): `npm run test:soak`.
        test: {
          name: 'soak',
          include: ['core/**/*.soak.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
        },
      },
      './worker/vitest.config.ts',
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/server.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // The machine may be busy with the other projects: waits are generous, not timed tests.
          expect: { poll: { timeout: 20_000, interval: 50 } },
        },
      },
      {
        // Found late, these would reload the page mid-test; transcription needs them (web/transcribe).
        // Tone is listed too: without it (since this list exists) the engine test's meters read
        // silence while playing — most likely a second, late-optimized copy of Tone in the page.
        optimizeDeps: {
          include: [
            'tone',
            '@spotify/basic-pitch',
            '@tensorflow/tfjs',
            '@tensorflow/tfjs-backend-wasm',
            'tonal',
          ],
        },
        test: {
          name: 'render',
          include: ['test/render/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
})
