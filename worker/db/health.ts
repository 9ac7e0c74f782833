/** Whether D1 answers a query: the cheapest round trip there is. */
export async function pingDb(db: D1Database): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS ok').first<number>('ok')) === 1
}
