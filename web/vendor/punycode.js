// markdown-it asks for Node's punycode to show international domain names in links; the page keeps
// them as written.
const same = (s) => s;
module.exports = { toASCII: same, toUnicode: same, encode: same, decode: same };
