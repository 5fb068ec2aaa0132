/**
 * Who may see what another team member can access (the "what can this member access"
 * view): oneself always; anyone, for who manages the team or reads the whole activity log
 * (the account owner, practice administrators and practice managers: 004). The list itself
 * is then cut to the clients the viewer may see too (the store, `memberAccessPage`).
 */
import { allow, refuse, type Decision } from './decision.js';
import { canInPractice } from './permissions.js';
import type { Context, MemberId } from './practice.js';

export function canViewMemberAccess(ctx: Context, viewer: MemberId, member: MemberId): Decision {
  if (!ctx.team.members.has(member)) return refuse('not_found', 'No such team member.');
  if (viewer === member) return allow({ code: 'self', text: 'One sees what one can access oneself.' });
  return canViewOthersAccess(ctx, viewer);
}

/** Whether `viewer` may see what any other member can access (the access review's member choice). */
export function canViewOthersAccess(ctx: Context, viewer: MemberId): Decision {
  for (const permission of ['team.manage', 'activity_log.view'] as const) {
    const d = canInPractice(ctx, viewer, permission);
    if (d.allowed) return d;
  }
  return refuse('forbidden', 'Only the account owner, practice administrators and practice managers see what others can access.');
}
