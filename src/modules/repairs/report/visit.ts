// A resident's visit to the public repair pages: their answers so far, the repair they have found again, and what they
// last did, kept in memory per visit (the resident cookie, as CSRF and form tokens are bound) and per landlord, like
// the staff journeys' answers (src/web/forms/journey.ts): a restart loses a report half done. Bounded: the least
// recently used visits are forgotten first, and photos (up to 3 re-encoded images each) make the bound small.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfBinding, RESIDENT_COOKIE } from '../../../web/session.ts';
import type { CheckedPhoto, ContactBy } from '../requests.ts';

export interface ReportAnswers {
  /** 'none', or the emergency's value (a stop). */
  emergency?: string;
  communal?: boolean;
  postcode?: string;
  homeId?: string;
  address?: string;
  /** The values chosen through the tree so far. */
  triagePath?: string[];
  description?: string;
  location?: string;
  photos?: { name: string; photo: CheckedPhoto }[];
  photosDone?: boolean;
  /** The slot chosen (null: none of them suited). */
  appointment?: { date: string; slot: string; label: string } | null;
  availability?: string;
  whenDone?: boolean;
  contact?: { name: string; phone?: string; email?: string; contactBy: ContactBy };
  /** The slot chosen was taken before the report was sent: the slot page says so. */
  slotTaken?: boolean;
}

export interface Visit {
  report: ReportAnswers;
  /** The last report sent, for its confirmation page. */
  done?: { reference: string; appointment?: string; contactBy?: ContactBy; email?: string; phone?: string; priority: string; damp: boolean };
  /** A repair found again with its reference and postcode. */
  found?: { requestId: string; postcode: string; reference: string };
  /** What the last change to a found repair was, for its confirmation page. */
  changed?: { kind: 'appointment' | 'cancelled'; words: string };
}

const MAX_VISITS = 2_000;
const visits = new Map<string, Visit>();

/** The visit's key: the resident's visit (as its CSRF tokens are bound) and the landlord. */
const keyOf = (req: FastifyRequest, organisationId: string) => `${csrfBinding(req)} ${organisationId}`;

export function visitOf(req: FastifyRequest, organisationId: string): Visit {
  const key = keyOf(req, organisationId);
  const visit = visits.get(key) ?? { report: {} };
  visits.delete(key);
  visits.set(key, visit);
  while (visits.size > MAX_VISITS) visits.delete(visits.keys().next().value!);
  return visit;
}

/**
 * Give a resident without one a visit cookie (random, HttpOnly, SameSite=Lax), and make this request carry it too, so
 * the CSRF token the page renders is already bound to it.
 */
export function ensureVisitCookie(req: FastifyRequest, reply: FastifyReply, secure: boolean): void {
  if (req.cookies[RESIDENT_COOKIE]) return;
  const id = randomBytes(24).toString('base64url');
  reply.setCookie(RESIDENT_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  req.cookies[RESIDENT_COOKIE] = id;
}
