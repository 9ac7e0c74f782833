/** Time in seconds. */
export type Seconds = number
/** A count of samples (per channel). */
export type Samples = number
/** Samples per second. */
export type Hertz = number
/** Level in decibels relative to full scale or unity gain. */
export type Decibels = number
/** A value in 0..1. */
export type NormalRange = number
/** Hundredths of a percent: 10 000 is the whole. */
export type BasisPoints = number
/** Beats per minute. */
export type BPM = number
