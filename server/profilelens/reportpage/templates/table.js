// Sort the table by the clicked column: numbers numerically (empty cells last), text alphabetically.
document.querySelectorAll("#vet thead th").forEach((th, column) => {
  th.querySelector("button").addEventListener("click", () => {
    const body = document.querySelector("#vet tbody");
    const numeric = th.classList.contains("num");
    const descending = th.getAttribute("aria-sort") !== "descending";
    document.querySelectorAll("#vet thead th").forEach((other) => other.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const key = (row) => row.children[column].dataset.sort;
    const rows = Array.from(body.rows).sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === "" || y === "") return (x === "") - (y === "");
      const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return descending ? -order : order;
    });
    rows.forEach((row) => body.appendChild(row));
  });
});
