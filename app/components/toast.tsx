export function Toast({ message }: { message: string }) {
  return (
    <div role="status" className="mb-6 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900">
      {message}
    </div>
  );
}
