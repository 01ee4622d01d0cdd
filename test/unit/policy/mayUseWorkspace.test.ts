import { PolicySchema } from '../../../src/config/PolicySchema';
import { mayUseWorkspace } from '../../../src/policy/mayUseWorkspace';

describe('mayUseWorkspace', () => {
  it('allows any workspace without a list, or with "*"', () => {
    expect(mayUseWorkspace(undefined, 'T0ANY', null)).toBe(true);
    expect(mayUseWorkspace(['*'], null, null)).toBe(true);
  });

  it('allows a listed team or enterprise and refuses the rest', () => {
    expect(mayUseWorkspace(['T0OURS'], 'T0OURS', null)).toBe(true);
    expect(mayUseWorkspace(['E0GRID'], 'T0OTHER', 'E0GRID')).toBe(true);
    expect(mayUseWorkspace(['T0OURS'], 'T0OTHER', 'E0OTHER')).toBe(false);
    expect(mayUseWorkspace(['T0OURS'], null, null)).toBe(false);
  });

  it('is a policy field of team/enterprise ids', () => {
    expect(PolicySchema.parse({ workspaces: ['T0OURS', 'E0GRID'] }).workspaces).toEqual([
      'T0OURS',
      'E0GRID',
    ]);
    expect(PolicySchema.parse({}).workspaces).toBeUndefined();
    expect(PolicySchema.safeParse({ workspaces: ['t0lower'] }).success).toBe(false);
  });
});
