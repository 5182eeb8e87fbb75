// Microsoft's Web Chat as the citizens' page uses it: the full build (Adaptive Cards included),
// bundled by scripts/build.js without the speech services, which the page does not offer.
import { createDirectLine, renderMarkdown, renderWebChat } from 'botframework-webchat';

window.WebChat = { createDirectLine, renderMarkdown, renderWebChat };
