// Loads one ticket with its whole conversation and keeps both current from the live
// stream: new messages are appended, ticket changes refetch the ticket.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, request } from '../api/client';
import type { Message, Page, Ticket } from '../api/types';
import { useLive } from './hooks';

export async function loadMessages(id: number, signal?: AbortSignal): Promise<Message[]> {
  const out: Message[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: Page<Message> = await get<Page<Message>>(`/tickets/${id}/messages`, { query: { limit: 200, cursor }, signal });
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export interface TicketState {
  ticket: Ticket | null;
  messages: Message[];
  error: unknown;
  loading: boolean;
  /** the ticket changed on the server since it was loaded (by someone else) */
  changedRemotely: boolean;
  reload: () => Promise<void>;
  /** refetches the ticket after a change of ours (a message sent, a conflict) */
  reloadTicket: () => Promise<Ticket | null>;
  /** shows the ticket as a change of ours answered it */
  setTicket: (t: Ticket) => void;
  /** runs a change of ours: live events that arrive meanwhile are ours, not someone else's */
  mine: <T>(work: Promise<T>) => Promise<T>;
  addMessage: (m: Message) => void;
}

function eventTicketId(data: any): number | null {
  if (!data || typeof data !== 'object') return null;
  if (typeof data.ticket_id === 'number') return data.ticket_id;
  if (typeof data.id === 'number' && 'subject' in data) return data.id;
  return null;
}

export function useTicket(id: number, onRemoteChange?: (t: Ticket) => void): TicketState {
  const [ticket, setTicketState] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [changedRemotely, setChanged] = useState(false);
  const versionRef = useRef(0);
  // the newest version our own changes produced: a live event of that version (which can
  // arrive before the answer to our request) is not "someone else"
  const ownRef = useRef(0);
  const pending = useRef(0); // changes of ours under way
  const cb = useRef(onRemoteChange);
  cb.current = onRemoteChange;

  const show = useCallback((t: Ticket) => {
    versionRef.current = t.version;
    setTicketState(t);
    setChanged(false);
  }, []);

  const setTicket = useCallback((t: Ticket) => {
    ownRef.current = Math.max(ownRef.current, t.version);
    show(t);
  }, []);

  const mine = useCallback(async <T,>(work: Promise<T>): Promise<T> => {
    pending.current++;
    try {
      return await work;
    } finally {
      pending.current--;
    }
  }, []);

  const fetchTicket = useCallback(async () => {
    try {
      const t = (await request<Ticket>('GET', `/tickets/${id}`)).data;
      show(t);
      return t;
    } catch (e) {
      setError(e);
      return null;
    }
  }, [id]);

  const reloadTicket = useCallback(async () => {
    const t = await fetchTicket();
    if (t) ownRef.current = Math.max(ownRef.current, t.version);
    return t;
  }, [id]);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const [t, ms] = await Promise.all([get<Ticket>(`/tickets/${id}`), loadMessages(id)]);
      show(t);
      setMessages(ms);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    reload();
  }, [id]);

  const addMessage = useCallback((m: Message) => {
    setMessages((l) => (l.some((x) => x.id === m.id) ? l : [...l, m].sort((a, b) => a.id - b.id)));
  }, []);

  useLive((e) => {
    if (e.type === 'stream.reconnected') {
      reload();
      return;
    }
    if (eventTicketId(e.data) !== id) return;
    if (e.type === 'message.created' && e.data && typeof e.data.body_html === 'string') addMessage(e.data as Message);
    if (e.type === 'ticket.updated' || e.type === 'ticket.created') {
      const v = typeof e.data?.version === 'number' ? e.data.version : 0;
      if (v && (v <= versionRef.current || v <= ownRef.current)) return; // already shown, or ours
      const ours = pending.current > 0;
      fetchTicket().then((t) => {
        if (t && ours) ownRef.current = Math.max(ownRef.current, t.version);
        else if (t && t.version > ownRef.current) {
          setChanged(true);
          cb.current?.(t);
        }
      });
    }
  });

  return { ticket, messages, error, loading, changedRemotely, reload, reloadTicket, setTicket, mine, addMessage };
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;
