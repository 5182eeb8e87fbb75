import { ActivityTypes } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogContext,
  DialogTurnResult,
  DialogTurnStatus,
} from 'botbuilder-dialogs';
import { Language } from '../knowledge/schema';
import { actionValue, DialogDeps, messageText, setPreferredLanguage, translator } from './context';
import { helpActivity } from './replies';

/** Set once a component has looked for a global command this turn, so nested components do not look again. */
const CHECKED = Symbol('globalCommandChecked');

/**
 * The shared base of every dialog: before any step runs, it handles help, cancel, start over and
 * a language switch ("English", "français", "en français svp"…), typed in either language.
 * A command ends the turn; help and a language switch leave the active step waiting, so the person
 * can carry on where they were.
 */
export abstract class BaseDialog<O extends object = object> extends ComponentDialog<O> {
  constructor(
    dialogId: string,
    protected readonly deps: DialogDeps,
  ) {
    super(dialogId);
  }

  protected override async onBeginDialog(
    innerDc: DialogContext,
    options?: O,
  ): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc, false)) ?? super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc, true)) ?? super.onContinueDialog(innerDc);
  }

  /** Help as a reply; the main dialog overrides it to run its help dialog when nothing is active. */
  protected async showHelp(innerDc: DialogContext, active: boolean): Promise<DialogTurnResult> {
    await innerDc.context.sendActivity(helpActivity(this.deps, innerDc.context));
    return active ? Dialog.EndOfTurn : { status: DialogTurnStatus.complete };
  }

  private async interrupt(
    innerDc: DialogContext,
    active: boolean,
  ): Promise<DialogTurnResult | null> {
    const context = innerDc.context;
    if (context.activity.type !== ActivityTypes.Message || context.turnState.get(CHECKED))
      return null;
    context.turnState.set(CHECKED, true);
    if (actionValue(context)) return null;
    const command = this.deps.commands.global(messageText(context));
    if (!command) return null;
    switch (command.kind) {
      case 'language':
        await this.switchLanguage(innerDc, command.language);
        await context.sendActivity(translator(this.deps, context)('language.switched'));
        return active ? Dialog.EndOfTurn : { status: DialogTurnStatus.complete };
      case 'help':
        return this.showHelp(innerDc, active);
      case 'cancel':
        await context.sendActivity(
          translator(this.deps, context)(active ? 'cancel.done' : 'cancel.nothing'),
        );
        return active ? innerDc.cancelAllDialogs() : { status: DialogTurnStatus.complete };
      case 'startOver': {
        const conversation = await this.deps.accessors.conversation.get(context, {});
        delete conversation.lastServiceId;
        delete conversation.languageHintShown;
        await context.sendActivity(translator(this.deps, context)('startOver.done'));
        return active ? innerDc.cancelAllDialogs() : { status: DialogTurnStatus.complete };
      }
    }
  }

  /** An explicit choice sticks (user state) and applies from this reply on. */
  private switchLanguage(innerDc: DialogContext, language: Language): Promise<void> {
    return setPreferredLanguage(this.deps.accessors, innerDc.context, language);
  }
}
