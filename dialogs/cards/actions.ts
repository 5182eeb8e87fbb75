/**
 * The values buttons send back as the message value. `findOffice` goes to the main dialog's
 * `officeFinder` hook, which starts the office finder dialog.
 */
export const FIND_OFFICE = 'findOffice';
export const NEXT_STEP = 'nextStep';
export const SHOW_SERVICE = 'showService';

export interface FindOfficeValue {
  action: typeof FIND_OFFICE;
  /** Catalogue id of the service. */
  service: string;
}

export interface NextStepValue {
  action: typeof NEXT_STEP;
  /** Catalogue id of the life-event bundle. */
  event: string;
  /** Index of the step to show (0 is the first). */
  step: number;
}

export interface ShowServiceValue {
  action: typeof SHOW_SERVICE;
  id: string;
}

export const findOfficeValue = (service: string): FindOfficeValue => ({
  action: FIND_OFFICE,
  service,
});
export const nextStepValue = (event: string, step: number): NextStepValue => ({
  action: NEXT_STEP,
  event,
  step,
});
