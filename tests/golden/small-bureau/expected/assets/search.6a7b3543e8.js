/* 站内搜索: exact identifier lookup first, then Pagefind full text with filters.
   The query lives in the address (?q=…&column=…), so results can be bookmarked and Back works. */
const PAGE = 10;
const BRACKETS = { "[": "〔", "［": "〔", "【": "〔", "(": "〔", "（": "〔", "〖": "〔",
                   "]": "〕", "］": "〕", "】": "〕", ")": "〕", "）": "〕", "〗": "〕" };

const form = document.querySelector("[data-search]");
const statusLine = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const more = document.querySelector("[data-search-more]");
const root = new URL(form.dataset.root, window.location.href);

/* Same steps as disclosure_site/search.py normalise(): NFKC, lower case, one bracket style, no spaces. */
function normalise(text) {
  return Array.from(text.normalize("NFKC").toLowerCase(), (ch) => BRACKETS[ch] || ch)
    .join("").replace(/\s+/g, "");
}

/* 32-bit FNV-1a over UTF-8, as bucket_of() in search.py. */
function bucketOf(key, buckets) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  }
  return value % buckets;
}

async function exactHits(query) {
  const key = normalise(query);
  if (!key) return [];
  const bucket = bucketOf(key, Number(form.dataset.exactBuckets));
  const response = await fetch(new URL(`search/exact/${bucket}.json`, root));
  if (!response.ok) return [];
  const table = await response.json();
  return (table[key] || []).map(([path, title, date, column]) => (
    { url: new URL(path, root).href, title, date, column, excerpt: "", exact: true }));
}

/* Quoted Chinese phrases miss in Pagefind unless the words are spaced out, so quotes are dropped. */
function looseQuery(query) {
  return query.replace(/["“”'‘’「」『』]/g, " ").trim();
}

function chosenFilters(params) {
  const filters = {};
  for (const select of form.querySelectorAll("select[data-filter]")) {
    const value = params.get(select.name) || "";
    select.value = value;
    if (value) filters[select.dataset.filter] = value;
  }
  return filters;
}

/* A large catalogue is indexed in shards by year (pagefind/ holds the newest); the older ones are merged
   into it once, before the first query, and every query then searches them all. */
let engine;
function pagefindEngine() {
  engine ||= (async () => {
    const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    const options = { baseUrl: root.pathname, excerptLength: 40 };
    await pagefind.options(options);
    for (const folder of (form.dataset.searchShards || "").split(" ").filter(Boolean)) {
      await pagefind.mergeIndex(new URL(`${folder}/`, root).pathname, options);
    }
    return pagefind;
  })();
  return engine;
}

async function fullText(query, filters) {
  const pagefind = await pagefindEngine();
  const search = await pagefind.search(looseQuery(query) || null, { filters });
  return search ? search.results : [];
}

/* Pagefind's excerpt is HTML with <mark>; keep only its text and the marks. */
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  const out = document.createElement("p");
  out.className = "excerpt";
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function resultItem(hit) {
  const item = document.createElement("li");
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = hit.url;
  link.textContent = hit.title;
  heading.append(link);
  const facts = document.createElement("p");
  facts.className = "result-meta";
  const time = document.createElement("time");
  time.dateTime = hit.date || "";
  time.textContent = hit.date || "";
  facts.append(hit.exact ? "精确匹配 · " : "", "发布日期：", time, ` · 栏目：${hit.column || "—"}`);
  item.append(heading, facts);
  if (hit.excerpt) item.append(excerptNodes(hit.excerpt));
  return item;
}

function fromPagefind(data) {
  return { url: new URL(data.url, window.location.href).href, title: data.meta.title, date: data.meta.date, column: data.meta.column,
           excerpt: data.excerpt, exact: false };
}

async function showMore(state) {
  const batch = state.pending.splice(0, PAGE);
  const hits = await Promise.all(batch.map((result) => result.data().then(fromPagefind)));
  for (const hit of hits) {
    if (!state.shown.has(hit.url)) list.append(resultItem(hit));
  }
  more.hidden = state.pending.length === 0;
}

function describe(query, filters, exact, found) {
  const what = query ? `与“${query}”相关的` : "符合条件的";
  const scope = Object.values(filters).length ? `（筛选：${Object.values(filters).join("、")}）` : "";
  const lead = exact ? `标题、文号或索引号精确匹配 ${exact} 条；` : "";
  if (exact || found) return `${lead}全文检索找到 ${found} 条${what}信息${scope}。`;
  return `没有找到${what}信息${scope}。可以换用较短的关键词、减少筛选条件，或从目录树按栏目浏览。`;
}

async function run() {
  const params = new URLSearchParams(window.location.search);
  const query = (params.get("q") || "").trim();
  form.querySelector("input[name=q]").value = query;
  const filters = chosenFilters(params);
  if (!query && !Object.keys(filters).length) return;
  statusLine.textContent = "正在搜索……";
  try {
    const exact = await exactHits(query);
    const state = { pending: await fullText(query, filters), shown: new Set(exact.map((hit) => hit.url)) };
    exact.forEach((hit) => list.append(resultItem(hit)));
    statusLine.textContent = describe(query, filters, exact.length, state.pending.length);
    more.addEventListener("click", () => showMore(state));
    await showMore(state);
  } catch (error) {
    statusLine.textContent = "搜索暂时无法使用，请稍后再试，或从目录树按栏目浏览。";
    throw error;
  }
}

run();
