// Stands in for the speech SDKs in the Web Chat bundle: the page offers no speech, and any use fails
// loudly instead of loading a megabyte of code that nothing calls.
module.exports = new Proxy(
  {},
  {
    get: (_target, key) =>
      key === '__esModule'
        ? false
        : function speechUnavailable() {
            throw new Error('speech is not available on this page');
          },
  },
);
