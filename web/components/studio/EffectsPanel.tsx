import { useState, type Dispatch } from 'react'
import { EFFECT_NAMES, effectFrom } from '../../../core/recipe/effect-defaults.ts'
import type { Effect, EffectType } from '../../../core/recipe/schema.ts'
import type { StudioAction } from '../../store/studio.ts'
import { EFFECT_PARAMS, paramOf, sliderFrom, valueFrom } from './effectParams.ts'
import { useGesture } from './useDrag.ts'

type Props = {
  target: string // a track id or 'master'
  targetName: string
  effects: Effect[]
  dispatch: Dispatch<StudioAction>
  newId: () => string
  /** Effect types the licence forbids here, with the reason. */
  forbidden: ReadonlyMap<EffectType, string>
}

/** The effect chain of a track or the master: add, bypass, reorder, remove, and each parameter. */
export function EffectsPanel({ target, targetName, effects, dispatch, newId, forbidden }: Props) {
  const [adding, setAdding] = useState<EffectType>('filter')
  const g = useGesture()
  const edit = (
    edit: Extract<StudioAction, { type: 'edit' }>['edit'],
    gesture?: 'push' | 'amend',
  ) => dispatch({ type: 'edit', edit, gesture })

  return (
    <section className="effects-panel" aria-label={`Effects on ${targetName}`}>
      <header>
        <h3>Effects · {targetName}</h3>
        <select
          aria-label="Effect to add"
          value={adding}
          onChange={(e) => setAdding(e.currentTarget.value as EffectType)}
        >
          {(Object.keys(EFFECT_NAMES) as EffectType[]).map((t) => (
            <option key={t} value={t} disabled={forbidden.has(t)} title={forbidden.get(t)}>
              {EFFECT_NAMES[t]}
              {forbidden.has(t) ? ' (not allowed here)' : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={forbidden.has(adding)}
          title={forbidden.get(adding) ?? `Add ${EFFECT_NAMES[adding]}`}
          onClick={() => edit({ type: 'addEffect', target, effect: effectFrom(adding, newId()) })}
        >
          Add
        </button>
      </header>
      {forbidden.has(adding) && <p className="error small">{forbidden.get(adding)}</p>}
      {effects.length === 0 && (
        <p className="muted small">No effects yet. Pick one and press Add.</p>
      )}
      <ol className="chain">
        {effects.map((fx, i) => (
          <li
            key={fx.id}
            className={`effect${fx.bypass ? ' bypassed' : ''}`}
            data-testid="effect"
            data-effect={fx.type}
          >
            <div className="effect-head">
              <strong>{EFFECT_NAMES[fx.type]}</strong>
              <label>
                <input
                  type="checkbox"
                  checked={!fx.bypass}
                  onChange={() =>
                    edit({
                      type: 'updateEffect',
                      target,
                      effectId: fx.id,
                      patch: { bypass: !fx.bypass },
                    })
                  }
                />
                On
              </label>
              <button
                type="button"
                aria-label={`Move ${EFFECT_NAMES[fx.type]} up`}
                disabled={i === 0}
                onClick={() =>
                  edit({ type: 'moveEffect', target, effectId: fx.id, toIndex: i - 1 })
                }
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${EFFECT_NAMES[fx.type]} down`}
                disabled={i === effects.length - 1}
                onClick={() =>
                  edit({ type: 'moveEffect', target, effectId: fx.id, toIndex: i + 1 })
                }
              >
                ↓
              </button>
              <button
                type="button"
                aria-label={`Remove ${EFFECT_NAMES[fx.type]}`}
                onClick={() => edit({ type: 'removeEffect', target, effectId: fx.id })}
              >
                ✕
              </button>
            </div>
            {EFFECT_PARAMS[fx.type].map((spec) => {
              const value = paramOf(fx, spec.key)
              const label = `${EFFECT_NAMES[fx.type]} ${spec.label}`
              if ('options' in spec)
                return (
                  <label key={spec.key} className="param">
                    <span>{spec.label}</span>
                    <select
                      aria-label={label}
                      value={String(value)}
                      onChange={(e) =>
                        edit({
                          type: 'updateEffect',
                          target,
                          effectId: fx.id,
                          patch: { [spec.key]: e.currentTarget.value },
                        })
                      }
                    >
                      {spec.options.map((o) => (
                        <option key={o}>{o}</option>
                      ))}
                    </select>
                  </label>
                )
              return (
                <label key={spec.key} className="param">
                  <span>{spec.label}</span>
                  <input
                    type="range"
                    aria-label={label}
                    min={0}
                    max={1000}
                    value={sliderFrom(spec, Number(value))}
                    onPointerUp={g.end}
                    onKeyUp={g.end}
                    onChange={(e) =>
                      edit(
                        {
                          type: 'updateEffect',
                          target,
                          effectId: fx.id,
                          patch: { [spec.key]: valueFrom(spec, Number(e.currentTarget.value)) },
                        },
                        g.next(),
                      )
                    }
                  />
                  <output>
                    {Number(value).toFixed(spec.step < 0.01 ? 3 : spec.step < 1 ? 2 : 0)}
                    {spec.unit ?? ''}
                  </output>
                </label>
              )
            })}
          </li>
        ))}
      </ol>
    </section>
  )
}
