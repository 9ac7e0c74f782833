/** The signed-in user. */
export type UserView = {
  id: string
  email: string
  displayName: string
  role: 'fan' | 'artist' | 'admin'
}
