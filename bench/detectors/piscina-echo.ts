// Piscina side of the transport benchmark: one task per request.
export default function echo(m: { id: number }): { k: string; id: number; status: number; json: string } {
  return { k: 'reply', id: m.id, status: 200, json: '{"clientId":1,"clientIdString":"1","clientRequestTime":null}' };
}
