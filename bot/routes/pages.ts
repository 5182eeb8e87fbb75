import type { Server } from 'restify';
import { requestLanguage } from '../http';
import { PAGE_PATHS, PageName, PageRenderer } from '../web/page';

/** The four pages: citizens' chat, agents' console, communications' calendar, managers' insights. */
export function registerPageRoutes(server: Server, pages: readonly PageName[]): void {
  const renderer = new PageRenderer(pages);
  for (const page of pages) {
    server.get(PAGE_PATHS[page], async (req, res) => {
      const html = renderer.render(page, requestLanguage(req));
      res.sendRaw(200, html, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      });
    });
  }
}
