import type { ButtonHTMLAttributes } from 'react'
import type { CommandId } from '../../studio/commands.ts'
import type { BoundCommands } from '../../studio/useStudioCommands.ts'

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'disabled' | 'title'> & {
  commands: BoundCommands
  command: CommandId
}

/** A button that runs a studio command: off when the command is, titled with its key. */
export function CommandButton({ commands, command, children, ...rest }: Props) {
  return (
    <button
      type="button"
      {...rest}
      onClick={() => commands.run(command)}
      disabled={!commands.enabled(command)}
      title={commands.title(command)}
    >
      {children}
    </button>
  )
}
