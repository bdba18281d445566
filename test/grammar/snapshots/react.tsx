export default async function Page({ id }: Props) {
  const data = await load(id);
  return (
    <main onClick={async () => { await save(data); }}>
      please await {await count()}
      {rows.map((row) => <Row key={row.id} />)}
    </main>
  );
}
const Sync = () => <p>{label}</p>;
