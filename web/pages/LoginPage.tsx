import { useState, type FormEvent } from 'react'
import { api } from '../api.ts'
import { navigate } from '../store/route.ts'

/** Log in or sign up, then go back to where the user came from. */
export function LoginPage() {
  const [mode, setMode] = useState<'login' | 'signup'>('login')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
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
          role: 'fan',
        })
      navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/')
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
          <label>
            Display name
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
