import { Button, Subtitle2, TableCell, TableRow } from '@fluentui/react-components';
import { useState } from 'react';
import type { DriftFixRequest, RoomDrift } from '../../../contract/admin';
import type { AdminApi } from '../../api';
import { formatDateTime } from '../../format';
import type { Localization } from '../../i18n';
import { DataTable, ErrorBar, Notice, useCommonStyles } from '../common';

const key = (fix: DriftFixRequest) => `${fix.kind}:${fix.id}`;

/**
 * Issue 15, after a re-sync: per room, the meetings without a loan and the loans without a
 * meeting, each with its reason and a Fix button that queues it again (inbound or outbound).
 */
export function DriftPanel({
  api,
  l10n,
  runId,
  drift,
  roomName,
}: {
  api: AdminApi;
  l10n: Localization;
  runId: string;
  drift: RoomDrift[];
  roomName: (email: string) => string;
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.status;
  const [busy, setBusy] = useState<string>();
  const [fixed, setFixed] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const rooms = drift.filter((r) => r.meetingsWithoutLoan.length + r.loansWithoutMeeting.length > 0);

  const fix = async (request: DriftFixRequest) => {
    setBusy(key(request));
    setError(undefined);
    try {
      await api.fixDrift(runId, request);
      setFixed((done) => new Set(done).add(key(request)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };
  const fixButton = (request: DriftFixRequest, label: string) =>
    fixed.has(key(request)) ? (
      <span className={styles.muted}>{t.fixQueued}</span>
    ) : (
      <Button size="small" onClick={() => void fix(request)} disabled={busy !== undefined} aria-label={label}>
        {t.fix}
      </Button>
    );

  return (
    <div data-testid="drift-report" className={styles.section}>
      <Subtitle2 as="h4">{t.driftHeading}</Subtitle2>
      <div>
        {error ? <ErrorBar error={error} l10n={l10n} /> : null}
        {rooms.length === 0 ? <Notice intent="success">{t.noDrift}</Notice> : null}
        {rooms.map((room) => {
          const name = roomName(room.roomEmail);
          return (
            <section key={room.roomEmail} aria-label={name} data-room={room.roomEmail}>
              <p>
                <strong>
                  {t.driftRoom(name, room.meetingsWithoutLoan.length, room.loansWithoutMeeting.length)}
                </strong>
              </p>
              {room.meetingsWithoutLoan.length > 0 ? (
                <DataTable
                  label={`${t.meetingsWithoutLoan} — ${name}`}
                  testId="drift-meetings"
                  headers={[t.meeting, t.start, t.reason, t.fix]}
                >
                  {room.meetingsWithoutLoan.map((m) => {
                    const subject = m.subject || t.noSubject;
                    return (
                      <TableRow key={m.eventId}>
                        <TableCell>{subject}</TableCell>
                        <TableCell className={styles.nowrap}>
                          {formatDateTime(m.start ?? null, l10n)}
                        </TableCell>
                        <TableCell>{m.reason}</TableCell>
                        <TableCell>
                          {fixButton({ kind: 'meeting', id: m.eventId }, t.fixMeetingLabel(subject))}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </DataTable>
              ) : null}
              {room.loansWithoutMeeting.length > 0 ? (
                <DataTable
                  label={`${t.loansWithoutMeeting} — ${name}`}
                  testId="drift-loans"
                  headers={[t.loan, t.reason, t.fix]}
                >
                  {room.loansWithoutMeeting.map((l) => (
                    <TableRow key={l.loanId}>
                      <TableCell>
                        <a href={`#/loans/${encodeURIComponent(l.loanId)}`}>{l.number}</a>
                      </TableCell>
                      <TableCell>{l.reason}</TableCell>
                      <TableCell>
                        {fixButton({ kind: 'loan', id: l.loanId }, t.fixLoanLabel(l.number))}
                      </TableCell>
                    </TableRow>
                  ))}
                </DataTable>
              ) : null}
            </section>
          );
        })}
      </div>
    </div>
  );
}
