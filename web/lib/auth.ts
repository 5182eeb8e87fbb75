import { api, ApiError } from './api';
import { announce, clear, h } from './dom';
import { onLanguageChange, t } from './strings';

export interface Staff {
  token: string;
  role: string;
  org: string;
}

const KEY = 'staff-token';

/**
 * Staff sign-in for a page: a token form (the token stays in this tab's session storage only),
 * checked with GET /api/me and the page's roles. Calls `onReady` once signed in, and again after a
 * sign-out/sign-in. An expired token found later sends the person back to the form with the reason.
 */
export class StaffSession {
  staff: Staff | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly roles: string[],
    private readonly onReady: (staff: Staff) => void,
    /** Called when the person signs out or the token is refused later, so the page can hide what it showed. */
    private readonly onSignOut: () => void = () => undefined,
  ) {
    onLanguageChange(() => (this.staff ? this.renderBar() : this.renderForm()));
  }

  async start(): Promise<void> {
    const saved = sessionStorage.getItem(KEY);
    if (saved && (await this.check(saved, false))) return;
    this.renderForm();
  }

  /** For API calls; also handles a token that expired while the page was open. */
  handleError(err: unknown): string {
    if (err instanceof ApiError && err.status === 401) {
      this.signOut(err.message);
    }
    return err instanceof Error ? err.message : String(err);
  }

  signOut(reason?: string): void {
    sessionStorage.removeItem(KEY);
    this.staff = null;
    this.onSignOut();
    this.renderForm(reason);
  }

  private async check(token: string, showErrors: boolean): Promise<boolean> {
    try {
      const me = await api<{ role: string; org: string }>('/api/me', { token });
      if (!this.roles.includes(me.role) && me.role !== 'admin') {
        if (showErrors)
          this.renderForm(
            t('common.wrongRole', {
              required: this.roles.map((r) => t(`common.role_${r}`)).join(', '),
              role: t(`common.role_${me.role}`),
            }),
          );
        return false;
      }
      sessionStorage.setItem(KEY, token);
      this.staff = { token, role: me.role, org: me.org };
      this.renderBar();
      this.onReady(this.staff);
      return true;
    } catch (err) {
      if (showErrors)
        this.renderForm(
          t('common.tokenRejected', { message: err instanceof Error ? err.message : String(err) }),
        );
      return false;
    }
  }

  private renderBar(): void {
    if (!this.staff) return;
    clear(this.container);
    this.container.append(
      h(
        'p',
        { class: 'signed-in' },
        t('common.signedInAs', {
          role: t(`common.role_${this.staff.role}`),
          org: t(`common.org_${this.staff.org}`),
        }),
        ' ',
        h(
          'button',
          { type: 'button', class: 'link-button', onclick: () => this.signOut() },
          t('common.signOut'),
        ),
      ),
    );
  }

  private renderForm(error?: string): void {
    clear(this.container);
    const input = h('input', {
      id: 'staff-token',
      name: 'token',
      type: 'password',
      autocomplete: 'off',
      required: true,
      'aria-describedby': 'staff-token-help' + (error ? ' staff-token-error' : ''),
    });
    const form = h(
      'form',
      { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
      h('h2', { id: 'sign-in-title' }, t('common.signInTitle')),
      h('label', { for: 'staff-token' }, t('common.tokenLabel')),
      input,
      h('p', { id: 'staff-token-help', class: 'help' }, t('common.tokenMissing')),
      error ? h('p', { id: 'staff-token-error', class: 'error', role: 'alert' }, error) : null,
      h('button', { type: 'submit' }, t('common.signIn')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) {
        this.renderForm(t('common.tokenMissing'));
        return;
      }
      void this.check(token, true);
    });
    this.container.append(form);
    if (error) announce(error);
    input.focus();
  }
}
