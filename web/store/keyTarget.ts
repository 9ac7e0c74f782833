/** Fields that take typed text: keyboard shortcuts stay out of them entirely. */
const TEXT_FIELDS =
  'input[type=text], input[type=search], input[type=email], input[type=password], input[type=number], input:not([type]), textarea, select, [contenteditable]'

/** Whether a key event's target is a field the user types into. */
export function typingInto(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(TEXT_FIELDS) !== null
}

/** Whether the target is a slider: its arrow keys are its own (they move the slider). */
export function onSlider(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input[type=range], [role=slider]') !== null
}

/** Whether Space on the target presses it (buttons and checkboxes), rather than playing. */
export function spacePresses(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    target.closest('button, [role=button], input[type=checkbox], input[type=radio], a[href]') !==
      null
  )
}
