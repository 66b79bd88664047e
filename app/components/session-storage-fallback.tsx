/**
 * Inside an LMS iframe the browser may deny a third-party frame its storage (Chromium does
 * when it blocks third-party cookies, whatever cookies CHIPS still allows): reading
 * `window.sessionStorage` then throws. Remix reads it on every client navigation (its
 * lazy route discovery and scroll restoration), so the first link followed inside the
 * frame ended on the error page. This runs first in <head> and, only where the real
 * storage is denied, puts a per-page in-memory one in its place: scroll positions and
 * Remix's reload guard last for the page's life instead of the tab's, which is all they need.
 */
const SCRIPT = `(function(){try{window.sessionStorage.getItem('classcast');return}catch(e){}var m=new Map();var s={getItem:function(k){return m.has(String(k))?m.get(String(k)):null},setItem:function(k,v){m.set(String(k),String(v))},removeItem:function(k){m.delete(String(k))},clear:function(){m.clear()},key:function(i){var a=Array.from(m.keys());return i<a.length?a[i]:null},get length(){return m.size}};try{Object.defineProperty(window,'sessionStorage',{value:s,configurable:true})}catch(e){}})();`;

export function SessionStorageFallback() {
  // A constant string: nothing user-given goes into it.
  return <script suppressHydrationWarning dangerouslySetInnerHTML={{ __html: SCRIPT }} />;
}
