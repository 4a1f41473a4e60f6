import { useMemo, useState } from 'preact/hooks';
import { listWorkflows, putSkillSource } from '../../../shared/src/documents/volume-index';
import { readMessages, type SessionMessage } from '../../../shared/src/documents/session';
import { parseRoomName, volumeRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRoom, useRooms } from '../documents/hooks';
import { homeVolume, roomMode } from '../documents/identity';
import type { Room, RoomSet } from '../documents/rooms';
import { hrefOf } from '../router';
import { useServerConfig } from '../shell/server-config';
import { addUserMessage } from './conversation';
import { Markdown, type CodeActions } from './markdown';
import { skillFormat } from './skill-format';
import { useChatSender } from './use-chat-sender';
import { linkedWorkflow } from './workspace';

const NO_MESSAGES: SessionMessage[] = [];

const formatTime = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleTimeString();
};

/** Saves a code block from an answer as a new skill in the person's volume and opens it. */
const codeActionsFor = (rooms: RoomSet): CodeActions => ({
  onSaveAsSkill(code, language) {
    void (async () => {
      const home = homeVolume();
      const id = `chat-skill-${Date.now().toString(36)}`;
      const type = language.startsWith('py') ? 'python' : 'javascript';
      const built = (await skillFormat()).build({ name: 'Code from chat', skill_id: id, type, code, description: 'Saved from a chat answer; describe it and declare its ports.' });
      if (!built.ok) return;
      await rooms.edit(volumeRoom(home.volume, home.volumeId), (doc) => putSkillSource(doc, id, built.markdown));
      location.hash = hrefOf.skill(home.volume, home.volumeId, id);
    })();
  },
});

function MessageView({ m, streaming, codeActions, noKey }: { m: SessionMessage; streaming?: string; codeActions: CodeActions; noKey: boolean }) {
  const content = streaming ?? m.content;
  return (
    <li class={`message message-${m.role}`} data-testid="session-message" data-role={m.role}>
      <div class="message-meta">
        <strong class="message-role">{m.role}</strong>
        <time dateTime={m.timestamp}>{formatTime(m.timestamp)}</time>
        {m.pending && (
          <span class="pending-badge" data-testid="message-pending">
            {noKey ? 'waiting: the assistant is not set up on this server' : 'waiting to be sent'}
          </span>
        )}
        {m.traces && m.traces.length > 0 && <span class="muted">{m.traces.length} trace(s)</span>}
      </div>
      {((m.skills_used?.length ?? 0) > 0 || (m.skills_read?.length ?? 0) > 0) && (
        <div class="skill-chips">
          <span class="muted" title="Skills of your library the assistant was given with this question (the most relevant ones), or read while answering">
            skills:
          </span>
          {m.skills_used?.map((s) => (
            <span key={s} class="skill-chip" data-testid="skill-chip" title={`The skill ${s} was given to the assistant with the question, as one of the most relevant to it`}>
              {s}
            </span>
          ))}
          {m.skills_read?.map((r, i) => (
            <span key={`read-${i}`} class="skill-chip skill-chip-read" data-testid="skill-read-chip" data-skill={r.skill_id} title={`The assistant read ${r.path ? `${r.path} of ` : ''}the skill ${r.skill_id}`}>
              read: {r.name}
              {r.path ? ` › ${r.path}` : ''}
            </span>
          ))}
        </div>
      )}
      <div class="message-content" data-testid="message-content">
        {m.role === 'assistant' ? <Markdown text={content} actions={codeActions} /> : content}
      </div>
      {m.tool_calls?.map((call, i) => (
        <details key={i} class={`tool-call ${call.is_error ? 'tool-error' : ''}`} data-testid="tool-call" data-tool={call.name}>
          <summary>
            {call.is_error ? '✗' : '✓'} {call.name}
          </summary>
          <pre>{JSON.stringify(call.input, null, 2)}</pre>
          <pre>{call.result}</pre>
        </details>
      ))}
      {m.error && (
        <div class="message-error" role="alert" data-testid="message-error">
          {m.error}
        </div>
      )}
      {m.artifacts && m.artifacts.length > 0 && <div class="muted">Artifacts: {m.artifacts.join(', ')}</div>}
    </li>
  );
}

/** Which workflow the assistant edits and runs for this session, named, before anything is asked. */
function ChatWorkflow({ room }: { room: string | undefined }) {
  const name = parseRoomName(room ?? '');
  const parsed = name.ok && name.value.kind === 'workflow' ? name.value : null;
  // Its name from its volume's index, which the app has open already, rather than its own room.
  const index = useRoom(parsed ? volumeRoom(parsed.volume, parsed.volumeId) : null)?.doc;
  const listed = useDocValue(index, (doc) => (parsed ? listWorkflows(doc).find((w) => w.id === parsed.id)?.name : undefined), undefined);
  if (!parsed) {
    return (
      <div class="chat-workflow muted" data-testid="chat-workflow">
        The assistant has no workflow yet: it makes one for this session the first time it adds a node.
      </div>
    );
  }
  const { volume, volumeId, id } = parsed;
  return (
    <div class="chat-workflow muted" data-testid="chat-workflow">
      The assistant edits and runs the workflow{' '}
      <a href={hrefOf.workflow(volume, volumeId, id)} data-testid="chat-workflow-link">
        {listed || id}
      </a>
      .
    </div>
  );
}

/**
 * A session's conversation with the assistant: history, streaming answers, and the composer
 * (closed while the session is in the trash, `trashed`).
 */
export function ChatPanel({ room, catalog, trashed = false }: { room: Room; catalog: Catalog; trashed?: boolean }) {
  const messages = useDocValue(room.doc, readMessages, NO_MESSAGES);
  const workflow = useDocValue(room.doc, linkedWorkflow, undefined);
  const rooms = useRooms();
  const codeActions = useMemo(() => codeActionsFor(rooms), [rooms]);
  const { streaming, kick } = useChatSender(rooms, room, catalog);
  const [draft, setDraft] = useState('');
  // A session opened with a read share link: the server would refuse the message, so none is offered.
  const linkReadOnly = roomMode(room.name, useIdentity()) === 'read';
  const readOnly = linkReadOnly || trashed;
  const lastAssistant = useMemo(() => messages.map((m) => m.role).lastIndexOf('assistant'), [messages]);
  const send = () => {
    const text = draft.trim();
    if (!text || readOnly) return;
    addUserMessage(room.doc, text);
    setDraft('');
    kick();
  };
  const noKey = useServerConfig()?.chat_configured === false;
  return (
    <div class="chat">
      {noKey && (
        <p class="note" role="status" data-testid="chat-not-configured">
          The assistant is not set up on this server yet: whoever runs it sets <code>ANTHROPIC_API_KEY</code> and restarts
          it. What you write here waits and is sent once it is. Everything else (skills, workflows, runs) works without it.
        </p>
      )}
      <ChatWorkflow key={workflow ?? 'none'} room={workflow} />
      {messages.length === 0 ? (
        <p class="empty" data-testid="session-no-messages">
          No messages yet. Ask about your skills, or ask the assistant to build and run a workflow.
        </p>
      ) : (
        <ol class="messages" data-testid="session-messages">
          {messages.map((m, i) => (
            <MessageView key={i} m={m} codeActions={codeActions} noKey={noKey} streaming={streaming !== null && i === lastAssistant ? streaming : undefined} />
          ))}
        </ol>
      )}
      {linkReadOnly && (
        <p class="note" data-testid="read-only-room">
          <span class="read-only-room">Read-only link</span> You can read this session, but not write in it: ask its owner for a link that lets you take part.
        </p>
      )}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <textarea
          data-testid="chat-input"
          placeholder={
            trashed ? 'This session is in the trash: restore it to write in it' : readOnly ? 'This session is read-only for you' : 'Message the assistant (Enter to send, Shift+Enter for a new line)'
          }
          disabled={readOnly}
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" data-testid="chat-send" disabled={readOnly || !draft.trim()}>
          Send
        </button>
      </form>
    </div>
  );
}
