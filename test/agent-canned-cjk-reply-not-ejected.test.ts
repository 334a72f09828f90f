// An agent sending one canned Chinese reply to 8 chats within a minute: `…最新版iOS。Android用户…`
// holds an ideographic full stop between two Latin words, a sentence end to its readers. Read as
// the link `ios.android` it counted towards URL_RATE: chats 6–7 had the reply withheld and the agent
// was ejected from the 8th (409) — a real server, as the multilingual tester saw it.
import { describe, expect, it } from 'vitest';
import { agentInChats, replyToNewChats } from './helpers/agent-chat.ts';

const REPLY = '您好！请在设置中更新至最新版iOS。Android用户请前往Google Play更新。Thank you!';

// one shard: an agent's per-sender state lives on each engagement's shard, and all 8 chats meet there
const t = agentInChats(300, 8, 1);

describe('an agent answering 8 chats within a minute with a canned Chinese reply', () => {
  it('has every reply delivered and is never ejected', async () => {
    const got = await replyToNewChats(t.s.url, t.a, REPLY, 8);
    expect(got).toEqual(Array(8).fill('200 delivered'));
  }, 60_000);
});
