import { useState, type FormEvent } from 'react'
import { VERIFICATION_ASKS } from '../../core/consent/verification.ts'
import { api } from '../api.ts'
import { navigate } from '../store/route.ts'
import '../components/consent/consent.css'

/** Where an artist lands after signing up: the wizard, with the verification form. */
export const ARTIST_START = '/console/campaigns/new'

/** Log in or sign up, then go back to where the user came from. */
export function LoginPage() {
  const [mode, setMode] = useState<'login' | 'signup'>('login')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [role, setRole] = useState<'fan' | 'artist'>('fan')
  const next = new URLSearchParams(location.search).get('next') ?? '/'

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const email = String(form.get('email'))
    const password = String(form.get('password'))
    setBusy(true)
    setError(null)
    try {
      if (mode === 'login') await api.login(email, password)
      else
        await api.signup({
          email,
          password,
          displayName: String(form.get('displayName')),
          role,
        })
      const back = next.startsWith('/') && !next.startsWith('//') ? next : '/'
      navigate(mode === 'signup' && role === 'artist' ? ARTIST_START : back)
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="pad auth">
      <h1>{mode === 'login' ? 'Log in' : 'Create an account'}</h1>
      <form onSubmit={submit}>
        {mode === 'signup' && (
          <fieldset className="signup-role">
            <legend>Who are you?</legend>
            <label className="check">
              <input
                type="radio"
                name="role"
                value="fan"
                checked={role === 'fan'}
                onChange={() => setRole('fan')}
              />
              I’m a fan — I want to remix
            </label>
            <label className="check">
              <input
                type="radio"
                name="role"
                value="artist"
                checked={role === 'artist'}
                onChange={() => setRole('artist')}
              />
              I’m an artist or label — I want to offer my stems
            </label>
            {role === 'artist' && (
              <div className="signup-verification" data-testid="signup-verification">
                <p>
                  You can build campaign drafts right away. Before one goes live, we verify that you
                  hold the rights to the recordings. Verification asks for:
                </p>
                <ul>
                  {VERIFICATION_ASKS.map((ask) => (
                    <li key={ask}>{ask}</li>
                  ))}
                </ul>
                <p className="muted small">
                  Every upload is also compared with the recordings already on Stemfair; a match
                  with someone else’s campaign waits for an admin.
                </p>
              </div>
            )}
          </fieldset>
        )}
        {mode === 'signup' && (
          <label>
            {role === 'artist' ? 'Display name (artist or label)' : 'Display name'}
            <input name="displayName" required maxLength={80} autoComplete="nickname" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            required
            minLength={mode === 'signup' ? 10 : 1}
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'One moment…' : mode === 'login' ? 'Log in' : 'Sign up'}
        </button>
      </form>
      <p className="muted">
        {mode === 'login' ? 'New here? ' : 'Have an account? '}
        <button
          type="button"
          className="link"
          onClick={() => setMode(mode === 'login' ? 'signup' : 'login')}
        >
          {mode === 'login' ? 'Create an account' : 'Log in'}
        </button>
      </p>
    </main>
  )
}
