import type { AuditEntry } from '../../../core/api/moderation.ts'
import { ACTION_WORDS } from './moderation.ts'

type Props = { entries: readonly AuditEntry[]; campaignName: (id: string) => string }

/** The append-only moderation log, newest first. */
export function AuditTable({ entries, campaignName }: Props) {
  if (entries.length === 0) return <p className="muted small">Nothing logged yet.</p>
  return (
    <table className="table mod-audit" data-testid="audit-log">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>Action</th>
          <th>Remix</th>
          <th>Campaign</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-action={e.action} data-remix={e.remixId}>
            <td>
              <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
            </td>
            <td>{e.actor.name}</td>
            <td>{ACTION_WORDS[e.action] ?? e.action}</td>
            <td>
              {e.exportId ? (
                <a href={`/r/${e.exportId}`}>{e.exportId}</a>
              ) : (
                <span className="muted">{e.remixId.slice(0, 8)}</span>
              )}
            </td>
            <td>{campaignName(e.campaignId)}</td>
            <td>{e.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
