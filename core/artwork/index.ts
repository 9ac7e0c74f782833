export * from './plan.ts'
export * from './words.ts'
