/**
 * A Slack message's mrkdwn text (src/alerts/messages.ts) as HTML a person reads: *bold*, _italic_, `code`, bullets and
 * the emoji codes the alerts use, with Slack's own escapes undone and everything else HTML-escaped.
 */
import { escapeHtml } from './escape.ts';
const EMOJI: Record<string, string> = { ':warning:': '⚠️', ':red_circle:': '🔴', ':rotating_light:': '🚨', ':white_check_mark:': '✅' };

/** Slack escapes only &, < and >. */
const unescapeSlack = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function inline(text: string): string {
  return (
    escapeHtml(unescapeSlack(text))
      .replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<b>$2</b>')
      // Italics may hold underscores (`_kind: cleanup_finished_`): the closing one is followed by the end or a space.
      .replace(/(^|[\s(])_([^\n]+?)_(?=$|[\s).,:;])/g, '$1<i>$2</i>')
  );
}

export function slackTextToHtml(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) out.push(`<ul>${list.map((item) => `<li>${item}</li>`).join('')}</ul>`);
    list = [];
  };
  for (const line of lines) {
    const bullet = /^\s*[•*-]\s+(.*)$/.exec(line);
    if (bullet && !/^\*[^*]+\*/.test(line.trim())) list.push(inline(bullet[1]!));
    else {
      flush();
      if (line.trim()) out.push(`<p>${inline(line)}</p>`);
    }
  }
  flush();
  return out.join('');
}
