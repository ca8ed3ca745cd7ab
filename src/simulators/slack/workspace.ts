/** A person in the simulated workspace, found by users.lookupByEmail. */
export interface SlackSimUser {
  id: string;
  email: string;
  name: string;
}

/** A channel the bot may post to; `member: false` answers not_in_channel, as for a channel the bot was not invited to. */
export interface SlackSimChannel {
  id: string;
  name: string;
  member?: boolean;
}

/** One message chat.postMessage accepted. */
export interface SlackSimMessage {
  /** The conversation id as answered: a `D…` id for a DM, else the channel id. */
  channel: string;
  /** The user id posted to, for a DM. */
  user?: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  ts: string;
}

export type PostTarget = { channel: string; user?: string } | { error: 'channel_not_found' | 'not_in_channel' };

/** The simulated workspace: users, channels and the messages posted so far. */
export class SlackWorkspace {
  readonly messages: SlackSimMessage[] = [];
  private sequence = 0;

  readonly users: readonly SlackSimUser[];
  readonly channels: readonly SlackSimChannel[];
  private readonly now: () => number;

  constructor(users: readonly SlackSimUser[], channels: readonly SlackSimChannel[], now: () => number) {
    this.users = users;
    this.channels = channels;
    this.now = now;
  }

  /** Slack compares e-mail addresses without regard to case. */
  userByEmail(email: string): SlackSimUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.find((user) => user.email.toLowerCase() === wanted);
  }

  /** chat.postMessage `channel`: a user id (opens the DM), a channel id, or a channel name with or without `#`. */
  resolveTarget(channel: string): PostTarget {
    const user = this.users.find((candidate) => candidate.id === channel);
    if (user) return { channel: `D${user.id.slice(1)}`, user: user.id };
    const name = channel.startsWith('#') ? channel.slice(1) : channel;
    const found = this.channels.find((candidate) => candidate.id === channel || candidate.name === name);
    if (!found) return { error: 'channel_not_found' };
    return found.member === false ? { error: 'not_in_channel' } : { channel: found.id };
  }

  /** Slack's `ts`: seconds, a dot, and six digits unique within the channel. */
  nextTs(): string {
    this.sequence += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
  }

  reset(): void {
    this.messages.length = 0;
  }
}
